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
 * reported epoch: a zombie's report is ignored. A FAILED report moves the replication to
 * FAILED and releases its lease (bumping the epoch) so it is not retried in a loop.
 * Runs inside the heartbeat transaction.
 */
@Component
class ReportRecorder {

    private static final Logger log = LoggerFactory.getLogger(ReportRecorder.class);

    private final LeaseRepository leases;
    private final ReplicationLeasing replications;
    private final LeaseRevoker revoker;

    ReportRecorder(LeaseRepository leases, ReplicationLeasing replications, LeaseRevoker revoker) {
        this.leases = leases;
        this.replications = replications;
        this.revoker = revoker;
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
            log.debug("worker {} reported an unknown replication id {}", workerId, report.replicationId());
            return Optional.empty();
        }
        boolean holds = leases.findById(id)
                .filter(l -> l.workerId().equals(workerId) && l.epoch() == report.epoch()).isPresent();
        if (!holds) {
            log.debug("ignoring report of worker {} for replication {} at epoch {}: it does not hold that lease",
                    workerId, id, report.epoch());
            return Optional.empty();
        }
        return Optional.of(id);
    }
}
