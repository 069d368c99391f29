package io.helios.pgoutput;

import io.helios.core.capture.CaptureException;
import io.helios.core.change.Lsn;
import io.helios.core.tenant.TenancyModel;
import io.helios.core.tenant.TenantScope;
import io.helios.postgres.slot.Publications;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class CaptureFailuresIT {

    private static final CaptureFixture db = new CaptureFixture("pgoutput_failures_it");

    private PgOutputCaptureEngine engine;

    @AfterEach
    void closeEngine() {
        if (engine != null) {
            engine.close();
        }
    }

    @Test
    void missingSlotIsNotRetriable() {
        engine = new PgOutputCaptureEngine(db.endpoint, "no_such_slot", "no_such_pub", 4);

        assertThatThrownBy(() -> engine.start(Lsn.ZERO))
                .isInstanceOfSatisfying(CaptureException.class, e -> assertThat(e.retriable()).isFalse())
                .hasMessageContaining("no_such_slot");
    }

    @Test
    void missingPublicationIsNotRetriable() throws Exception {
        db.sql("CREATE TABLE nopub (id int PRIMARY KEY)");
        db.createSlot("nopub");
        engine = new PgOutputCaptureEngine(db.endpoint, "nopub", "missing_publication", 4);
        engine.start(Lsn.ZERO);
        db.sql("INSERT INTO nopub VALUES (1)");

        assertThatThrownBy(() -> engine.poll(CaptureFixture.WAIT))
                .isInstanceOfSatisfying(CaptureException.class, e -> assertThat(e.retriable()).isFalse())
                .hasMessageContaining("missing_publication");
    }

    @Test
    void terminatedWalsenderIsRetriable() throws Exception {
        db.sql("CREATE SCHEMA killed", "CREATE TABLE killed.t (id int PRIMARY KEY)");
        try (Connection c = db.connect()) {
            Publications.ensure(c, "killed", new TenantScope("k", TenancyModel.SCHEMA, "killed", null, null, null),
                    List.of());
        }
        db.createSlot("killed");
        engine = new PgOutputCaptureEngine(db.endpoint, "killed", "killed", 4);
        engine.start(Lsn.ZERO);
        await().atMost(CaptureFixture.WAIT).until(() -> "t".equals(
                db.text("SELECT active FROM pg_replication_slots WHERE slot_name = 'killed'")));

        db.sql("SELECT pg_terminate_backend(active_pid) FROM pg_replication_slots WHERE slot_name = 'killed'");

        assertThatThrownBy(() -> engine.poll(CaptureFixture.WAIT))
                .isInstanceOfSatisfying(CaptureException.class, e -> assertThat(e.retriable()).isTrue());
        assertThat(engine.caughtUp()).isFalse();
    }

    @Test
    void pollBeforeStartIsRejected() {
        engine = new PgOutputCaptureEngine(db.endpoint, "unused", "unused", 4);

        assertThatThrownBy(() -> engine.poll(Duration.ZERO)).isInstanceOf(IllegalStateException.class);
    }
}
