package io.helios.controlplane.replication;

import io.helios.controlplane.replication.ReplicationState.Action;
import io.helios.service.web.ApiException;
import org.junit.jupiter.api.Test;

import static io.helios.controlplane.replication.ReplicationState.CREATED;
import static io.helios.controlplane.replication.ReplicationState.FAILED;
import static io.helios.controlplane.replication.ReplicationState.PAUSED;
import static io.helios.controlplane.replication.ReplicationState.RUNNING;
import static io.helios.controlplane.replication.ReplicationState.STOPPED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ReplicationStateTest {

    @Test
    void followsTheDeclaredTransitions() {
        assertThat(CREATED.apply(Action.START)).isEqualTo(RUNNING);
        assertThat(RUNNING.apply(Action.PAUSE)).isEqualTo(PAUSED);
        assertThat(PAUSED.apply(Action.RESUME)).isEqualTo(RUNNING);
        assertThat(RUNNING.apply(Action.STOP)).isEqualTo(STOPPED);
        assertThat(PAUSED.apply(Action.STOP)).isEqualTo(STOPPED);
        assertThat(FAILED.apply(Action.STOP)).isEqualTo(STOPPED);
        assertThat(STOPPED.apply(Action.START)).isEqualTo(RUNNING);
        assertThat(RUNNING.apply(Action.FAIL)).isEqualTo(FAILED);
        assertThat(FAILED.apply(Action.START)).isEqualTo(RUNNING);
    }

    @Test
    void refusesIllegalMovesWithAConflict() {
        assertThatThrownBy(() -> CREATED.apply(Action.PAUSE)).isInstanceOf(ApiException.class)
                .hasMessageContaining("cannot pause a replication in state CREATED")
                .satisfies(e -> assertThat(((ApiException) e).status().value()).isEqualTo(409));
        assertThatThrownBy(() -> RUNNING.apply(Action.RESUME)).isInstanceOf(ApiException.class);
        assertThatThrownBy(() -> CREATED.apply(Action.STOP)).isInstanceOf(ApiException.class);
        assertThatThrownBy(() -> STOPPED.apply(Action.FAIL)).isInstanceOf(ApiException.class);
    }

    @Test
    void onlyRunningAndPausedWantAWorker() {
        assertThat(ReplicationState.ACTIVE).containsExactlyInAnyOrder(RUNNING, PAUSED);
    }
}
