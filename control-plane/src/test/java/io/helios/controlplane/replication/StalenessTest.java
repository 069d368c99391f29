package io.helios.controlplane.replication;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class StalenessTest {

    private static final Instant NOW = Instant.parse("2030-01-01T00:10:00Z");
    private static final Duration BOUND = Duration.ofSeconds(45);

    @Test
    void activeReplicationSilentPastTheBoundIsStale() {
        assertThat(Staleness.of(ReplicationState.RUNNING, NOW.minusSeconds(46), NOW.minusSeconds(600), NOW, BOUND))
                .isEqualTo(new Staleness(true, 46_000L));
        assertThat(Staleness.of(ReplicationState.PAUSED, NOW.minusSeconds(44), NOW.minusSeconds(600), NOW, BOUND).stale())
                .isFalse();
    }

    @Test
    void withoutAnyReportTheStartCountsAndInactiveReplicationsAreNeverStale() {
        assertThat(Staleness.of(ReplicationState.RUNNING, null, NOW.minusSeconds(46), NOW, BOUND))
                .isEqualTo(new Staleness(true, null));
        assertThat(Staleness.of(ReplicationState.RUNNING, null, NOW.minusSeconds(10), NOW, BOUND).stale()).isFalse();
        assertThat(Staleness.of(ReplicationState.FAILED, NOW.minusSeconds(600), NOW, NOW, BOUND).stale()).isFalse();
    }
}
