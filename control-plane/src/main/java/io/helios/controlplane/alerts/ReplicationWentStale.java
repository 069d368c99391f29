package io.helios.controlplane.alerts;

import java.time.Instant;
import java.util.UUID;

/**
 * An ACTIVE replication's worker has not reported for longer than the stale bound: nobody may be
 * replicating it.
 *
 * @param lastReportAt the last report, or null when none arrived since it was started
 */
public record ReplicationWentStale(UUID replicationId, String tenantId, String state, Instant lastReportAt,
                                   Instant occurredAt) implements Alert {
}
