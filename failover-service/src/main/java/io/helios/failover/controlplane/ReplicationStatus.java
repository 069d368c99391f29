package io.helios.failover.controlplane;

import java.time.Instant;
import java.util.UUID;

/**
 * A replication's status as the control plane shows it: the position and lag its worker last
 * reported, and the worker's own view of its source connection ({@code sourceReachable},
 * {@code sourceDownSince}; null from workers that do not report it).
 */
public record ReplicationStatus(UUID replicationId, String state, String workerId, Long leaseEpoch, String phase,
                                String lastAppliedLsn, Double lagP50Ms, Double lagP99Ms, Instant reportedAt,
                                boolean stale, Long lastReportAgeMs, Boolean sourceReachable, Instant sourceDownSince) {
}
