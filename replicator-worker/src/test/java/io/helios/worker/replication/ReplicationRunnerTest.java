package io.helios.worker.replication;

import io.helios.core.capture.CaptureException;
import io.helios.postgres.apply.ConflictException;
import io.helios.postgres.ddl.SchemaMismatchException;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.sql.SQLException;

import static org.assertj.core.api.Assertions.assertThat;

class ReplicationRunnerTest {

    @Test
    void retriesOnlyWhatReconnectingCanCure() {
        assertThat(ReplicationRunner.retriable(new SQLException("gone", "08006"))).isTrue();
        assertThat(ReplicationRunner.retriable(new SQLException("admin shutdown", "57P01"))).isTrue();
        assertThat(ReplicationRunner.retriable(new RuntimeException(new IOException("reset")))).isTrue();
        assertThat(ReplicationRunner.retriable(new CaptureException("stream", null, true))).isTrue();

        assertThat(ReplicationRunner.retriable(new CaptureException("slot missing", null, false))).isFalse();
        assertThat(ReplicationRunner.retriable(new ConflictException("diverged"))).isFalse();
        assertThat(ReplicationRunner.retriable(new SchemaMismatchException("type changed"))).isFalse();
        assertThat(ReplicationRunner.retriable(new SQLException("syntax", "42601"))).isFalse();
    }
}
