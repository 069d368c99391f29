package io.helios.controlplane.replication;

import org.springframework.data.annotation.Id;

import java.time.Instant;
import java.util.UUID;

/** The last report a lease holder gave of a replication; written only by the lease feature. */
public record ReplicationStatus(@Id UUID replicationId, String phase, String workerId, long leaseEpoch,
                                String lastAppliedLsn, Double lagP50Ms, Double lagP99Ms, Double rowsPerSecond,
                                long rowsApplied, long transactionsApplied, long copyRowsDone, Integer copyPercent,
                                String lastError, Instant updatedAt, Boolean sourceReachable, Instant sourceDownSince) {
}
