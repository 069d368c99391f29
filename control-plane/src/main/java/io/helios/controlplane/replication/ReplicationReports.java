package io.helios.controlplane.replication;

import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/** When each replication's lease holder last reported, for the maintenance features. Stateless. */
@Component
public class ReplicationReports {

    private final ReplicationStatusRepository statuses;

    ReplicationReports(ReplicationStatusRepository statuses) {
        this.statuses = statuses;
    }

    /** Replication id to the time of its last report (replications that never reported are absent). */
    @Transactional(readOnly = true)
    public Map<UUID, Instant> lastReportTimes() {
        Map<UUID, Instant> times = new HashMap<>();
        for (ReplicationStatus s : statuses.findAll()) {
            times.put(s.replicationId(), s.updatedAt());
        }
        return times;
    }
}
