package io.helios.controlplane.alerts;

import java.time.Instant;
import java.util.UUID;

/**
 * A replication's slot retains more WAL than a threshold of the WAL guard, or the server marked
 * it {@code unreserved}.
 *
 * @param level          {@code WARN} (past {@code warn-retained-bytes} or unreserved) or {@code LIMIT}
 *                       (past {@code max-retained-bytes})
 * @param retainedBytes  WAL the slot holds back (null when unknown, a lost slot)
 * @param thresholdBytes the threshold crossed
 * @param walStatus      {@code pg_replication_slots.wal_status}
 */
public record WalRetentionExceeded(UUID replicationId, String tenantId, String slot, String level, Long retainedBytes,
                                   long thresholdBytes, String walStatus, String state, Instant occurredAt)
        implements Alert {
}
