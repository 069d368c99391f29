package io.helios.controlplane.lease;

import io.helios.controlplane.replication.LeaseRevoker;
import io.helios.controlplane.replication.ReplicationLeasing;
import io.helios.core.lease.ReplicationReport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Stores the reports a worker sends with its heartbeat, but only for leases it holds at the
 * reported epoch (the worker being the one its credential names): a report on a lease the worker
 * never held, holds no more, or holds at another epoch is refused, logged with who holds what, and
 * counted ({@code helios.leases.reports.refused}); nothing of it is applied. A FAILED report moves
 * the replication to FAILED and releases its lease (bumping the epoch) so it is not retried in a loop.
 * Runs inside the heartbeat transaction.
 */
@Component
class ReportRecorder {

    private static final Logger log = LoggerFactory.getLogger(ReportRecorder.class);

    private final LeaseRepository leases;
    private final ReplicationLeasing replications;
    private final LeaseRevoker revoker;
    private final LeaseMetrics metrics;

    ReportRecorder(LeaseRepository leases, ReplicationLeasing replications, LeaseRevoker revoker, LeaseMetrics metrics) {
        this.leases = leases;
        this.replications = replications;
        this.revoker = revoker;
        this.metrics = metrics;
    }

    /** @return the replications whose assignment changed (failed ones) */
    List<UUID> record(String workerId, List<ReplicationReport> reports, Instant now) {
        List<UUID> changed = new ArrayList<>();
        for (ReplicationReport report : reports == null ? List.<ReplicationReport>of() : reports) {
            Optional<UUID> id = held(workerId, report);
            if (id.isEmpty()) {
                continue;
            }
            replications.recordStatus(id.get(), workerId, report, now);
            if ("FAILED".equals(report.phase()) && replications.markFailed(id.get(), now)) {
                revoker.revoke(id.get());
                log.warn("replication {} failed on worker {}: {}", id.get(), workerId, report.lastError());
                changed.add(id.get());
            }
        }
        return changed;
    }

    private Optional<UUID> held(String workerId, ReplicationReport report) {
        UUID id;
        try {
            id = UUID.fromString(report.replicationId());
        } catch (IllegalArgumentException | NullPointerException e) {
            return refused(workerId, report, "it is not a replication id", true);
        }
        Optional<Lease> lease = leases.findById(id);
        if (lease.isEmpty()) {
            // usual right after an expiry or a release: the worker learns it at this beat's answer
            return refused(workerId, report, "no worker holds that lease", false);
        }
        Lease l = lease.get();
        if (!l.workerId().equals(workerId)) {
            // at an older epoch: the lease moved on (a stale report, usual after a rebalance); at the holder's own
            // epoch: the worker reports on another worker's current lease, which no protocol race produces
            return refused(workerId, report, "it is leased to worker '" + l.workerId() + "' at epoch " + l.epoch(),
                    l.epoch() == report.epoch());
        }
        if (l.epoch() != report.epoch()) {
            return refused(workerId, report, "the worker holds it at epoch " + l.epoch(), false);
        }
        return Optional.of(id);
    }

    /** Logs and counts a refused report; {@code suspicious} ones (acting on another worker's current lease) at WARN. */
    private Optional<UUID> refused(String workerId, ReplicationReport report, String why, boolean suspicious) {
        metrics.reportRefused();
        String id = report.replicationId() == null ? "null" : report.replicationId();
        String cut = id.length() > 64 ? id.substring(0, 64) + "..." : id;
        if (suspicious) {
            log.warn("refused the {} report of worker {} on replication {} at epoch {}: {}; nothing of it applied",
                    report.phase(), workerId, cut, report.epoch(), why);
        } else {
            log.info("refused the {} report of worker {} on replication {} at epoch {}: {}; nothing of it applied",
                    report.phase(), workerId, cut, report.epoch(), why);
        }
        return Optional.empty();
    }
}
