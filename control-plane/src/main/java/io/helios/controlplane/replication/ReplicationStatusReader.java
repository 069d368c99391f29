package io.helios.controlplane.replication;

import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

import java.util.Optional;
import java.util.UUID;

/** Assembles the status view of a replication from its state, its lease and the last report. */
@Component
class ReplicationStatusReader {

    private final ReplicationService replications;
    private final ReplicationStatusRepository statuses;
    private final LeaseRevoker leases;

    ReplicationStatusReader(ReplicationService replications, ReplicationStatusRepository statuses, LeaseRevoker leases) {
        this.replications = replications;
        this.statuses = statuses;
        this.leases = leases;
    }

    @Transactional(readOnly = true)
    ReplicationStatusView read(UUID id) {
        Replication r = replications.get(id);
        Optional<LeaseRevoker.Holder> holder = leases.holder(id);
        Optional<ReplicationStatus> s = statuses.findById(id);
        String worker = holder.map(LeaseRevoker.Holder::workerId).orElse(null);
        Long epoch = holder.map(LeaseRevoker.Holder::epoch).orElse(null);
        if (s.isEmpty()) {
            return new ReplicationStatusView(id, r.state(), worker, epoch, null, null, null, null, null, 0, 0,
                    null, null, null);
        }
        ReplicationStatus st = s.get();
        ReplicationStatusView.CopyProgress copy = new ReplicationStatusView.CopyProgress(
                copyPhase(st), st.copyRowsDone(), st.copyPercent());
        return new ReplicationStatusView(id, r.state(), worker, epoch, st.phase(), st.lastAppliedLsn(), st.lagP50Ms(),
                st.lagP99Ms(), st.rowsPerSecond(), st.rowsApplied(), st.transactionsApplied(), copy, st.lastError(),
                st.updatedAt());
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
