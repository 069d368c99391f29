package io.helios.controlplane.replication;

import io.swagger.v3.oas.annotations.media.Schema;

import java.time.Instant;
import java.util.UUID;

/** The status of a replication: its lifecycle state and what its worker last reported. */
@Schema(description = "Lifecycle state and the last report of the worker holding the lease")
public record ReplicationStatusView(
        UUID replicationId,
        ReplicationState state,
        @Schema(description = "Worker holding the lease, if any") String workerId,
        @Schema(description = "Fencing epoch of the current lease") Long leaseEpoch,
        @Schema(description = "Worker phase: STARTING, COPYING, STREAMING, PAUSED, FAILED, STOPPED") String phase,
        @Schema(description = "Last source LSN applied on the target", example = "0/16B3748") String lastAppliedLsn,
        Double lagP50Ms,
        Double lagP99Ms,
        Double rowsPerSecond,
        long rowsApplied,
        long transactionsApplied,
        @Schema(description = "Initial copy progress") CopyProgress copy,
        String lastError,
        @Schema(description = "When the last report arrived") Instant reportedAt,
        @Schema(description = "ACTIVE (RUNNING or PAUSED) but no report from a lease holder for longer than the stale "
                + "bound (helios.wal-guard.stale-after, default three lease TTLs): the figures above are old and "
                + "nobody may be replicating") boolean stale,
        @Schema(description = "Age of the last report in milliseconds, null when none arrived since the last start")
        Long lastReportAgeMs,
        @Schema(description = "The WAL guard dropped the slot (retention limit, or WAL lost): the next start copies "
                + "the tenant afresh") boolean needsFreshCopy,
        @Schema(description = "The slot on the source as the WAL guard last read it; null before its first pass")
        ReplicationHealth.Wal wal,
        @Schema(description = "The worker's own view of its source connection: false while it cannot reach the source "
                + "(an observer for automatic failover); null when it gave none") Boolean sourceReachable,
        @Schema(description = "Since when the worker has not reached its source; null while it does") Instant sourceDownSince) {

    /** Progress of the initial copy. */
    public record CopyProgress(String phase, long rows, Integer percent) {
    }
}
