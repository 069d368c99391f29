package io.helios.controlplane.replication;

import io.helios.core.lease.ReplicationReport;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.UUID;

/**
 * The replication side of the lease protocol, for the lease feature: how many replications are
 * active, the fencing epoch, and what a lease holder reports (its last status, and a failure).
 * The writes run inside the caller's transaction, with the {@link AssignmentLock} held.
 * Stateless.
 */
@Service
public class ReplicationLeasing {

    /** Longest {@code last_error} kept from a report. */
    static final int MAX_ERROR_LENGTH = 4000;

    private final ReplicationRepository replications;
    private final ReplicationStatusRepository statuses;

    ReplicationLeasing(ReplicationRepository replications, ReplicationStatusRepository statuses) {
        this.replications = replications;
        this.statuses = statuses;
    }

    /** Replications that want a worker: RUNNING or PAUSED. */
    public long countActive() {
        return ReplicationState.ACTIVE.stream().mapToLong(s -> replications.countByState(s.name())).sum();
    }

    /**
     * Whether the replication's last report (from its current or a former holder) says it is in
     * its initial copy: moving such a lease restarts the copy.
     */
    public boolean isCopying(UUID replicationId) {
        return statuses.findById(replicationId).map(s -> "COPYING".equals(s.phase())).orElse(false);
    }

    /** Bumps the fencing token (and the optimistic version) and answers the new epoch. */
    @Transactional(propagation = Propagation.MANDATORY)
    public long bumpLeaseEpoch(UUID replicationId) {
        return replications.bumpLeaseEpoch(replicationId);
    }

    /** Moves the replication to FAILED if it is still RUNNING or PAUSED; answers whether it did. */
    @Transactional(propagation = Propagation.MANDATORY)
    public boolean markFailed(UUID replicationId, Instant at) {
        return replications.markFailed(replicationId, Timestamp.from(at)) > 0;
    }

    /** Stores a lease holder's report as the replication's last status. */
    @Transactional(propagation = Propagation.MANDATORY)
    public void recordStatus(UUID replicationId, String workerId, ReplicationReport r, Instant at) {
        statuses.upsert(replicationId, r.phase() == null ? "UNKNOWN" : r.phase(), workerId, r.epoch(),
                r.lastAppliedLsn(), r.lagP50Millis(), r.lagP99Millis(), r.rowsPerSecond(), r.rowsApplied(),
                r.transactionsApplied(), r.copyRowsDone(), r.copyPercent(), truncate(r.lastError()),
                Timestamp.from(at), r.sourceReachable(),
                r.sourceDownSince() == null ? null : Timestamp.from(r.sourceDownSince()));
    }

    private static String truncate(String error) {
        return error == null || error.length() <= MAX_ERROR_LENGTH ? error : error.substring(0, MAX_ERROR_LENGTH);
    }
}
