package io.helios.controlplane.replication;

import io.helios.controlplane.HeliosProperties;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * Assembles the status view of a replication from its state, its lease, the last report (with
 * its age and whether it is stale, computed now) and the WAL guard's last reading of its slot.
 */
@Component
class ReplicationStatusReader {

    private final ReplicationService replications;
    private final ReplicationStatusRepository statuses;
    private final LeaseRevoker leases;
    private final ObjectProvider<ReplicationHealth> health;
    private final Clock clock;
    private final Duration staleAfter;

    ReplicationStatusReader(ReplicationService replications, ReplicationStatusRepository statuses, LeaseRevoker leases,
                            ObjectProvider<ReplicationHealth> health, Clock clock, HeliosProperties properties) {
        this.replications = replications;
        this.statuses = statuses;
        this.leases = leases;
        this.health = health;
        this.clock = clock;
        this.staleAfter = Staleness.bound(properties);
    }

    @Transactional(readOnly = true)
    ReplicationStatusView read(UUID id) {
        Replication r = replications.get(id);
        Optional<LeaseRevoker.Holder> holder = leases.holder(id);
        Optional<ReplicationStatus> s = statuses.findById(id);
        String worker = holder.map(LeaseRevoker.Holder::workerId).orElse(null);
        Long epoch = holder.map(LeaseRevoker.Holder::epoch).orElse(null);
        Instant reportedAt = s.map(ReplicationStatus::updatedAt).orElse(null);
        Staleness staleness = Staleness.of(r.state(), reportedAt, r.updatedAt(), clock.instant(), staleAfter);
        ReplicationHealth.Wal wal = Optional.ofNullable(health.getIfAvailable()).flatMap(h -> h.of(id)).orElse(null);
        boolean freshCopy = wal != null && wal.needsFreshCopy() && !r.state().isActive();
        if (s.isEmpty()) {
            return new ReplicationStatusView(id, r.state(), worker, epoch, null, null, null, null, null, 0, 0,
                    null, null, null, staleness.stale(), null, freshCopy, wal, null, null);
        }
        ReplicationStatus st = s.get();
        ReplicationStatusView.CopyProgress copy = new ReplicationStatusView.CopyProgress(
                copyPhase(st), st.copyRowsDone(), st.copyPercent());
        return new ReplicationStatusView(id, r.state(), worker, epoch, st.phase(), st.lastAppliedLsn(), st.lagP50Ms(),
                st.lagP99Ms(), st.rowsPerSecond(), st.rowsApplied(), st.transactionsApplied(), copy, st.lastError(),
                st.updatedAt(), staleness.stale(), staleness.lastReportAgeMs(), freshCopy, wal, st.sourceReachable(),
                st.sourceDownSince());
    }

    private static String copyPhase(ReplicationStatus st) {
        return switch (st.phase()) {
            case "STARTING" -> "PENDING";
            case "COPYING" -> "IN_PROGRESS";
            case "STREAMING", "PAUSED" -> "DONE";
            default -> st.copyPercent() != null && st.copyPercent() >= 100 ? "DONE" : "INCOMPLETE";
        };
    }
}
