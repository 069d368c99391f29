package io.helios.core.lease;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Size;

/**
 * What a worker reports of one leased replication with each heartbeat.
 *
 * @param phase     one of STARTING, COPYING, STREAMING, PAUSED, FAILED, STOPPED
 * @param lastError at most {@value #MAX_ERROR_LENGTH} characters (workers cut longer ones; the
 *                  control plane keeps fewer)
 * @param sourceReachable the worker's own view of its source connection: false while it cannot reach
 *                        the source, true once it streams; null when it has no view (not started yet)
 * @param sourceDownSince since when the worker has not reached its source (null when it does)
 */
public record ReplicationReport(@Size(max = 64) String replicationId, long epoch, @Size(max = 32) String phase,
                                @Size(max = 32) String lastAppliedLsn,
                                double lagP50Millis, double lagP99Millis, double rowsPerSecond,
                                long rowsApplied, long transactionsApplied, long copyRowsDone,
                                @Min(0) @Max(100) Integer copyPercent, @Size(max = MAX_ERROR_LENGTH) String lastError,
                                Boolean sourceReachable, java.time.Instant sourceDownSince) {

    /** A report without the worker's view of its source (workers that do not give one). */
    public ReplicationReport(String replicationId, long epoch, String phase, String lastAppliedLsn, double lagP50Millis,
                             double lagP99Millis, double rowsPerSecond, long rowsApplied, long transactionsApplied,
                             long copyRowsDone, Integer copyPercent, String lastError) {
        this(replicationId, epoch, phase, lastAppliedLsn, lagP50Millis, lagP99Millis, rowsPerSecond, rowsApplied,
                transactionsApplied, copyRowsDone, copyPercent, lastError, null, null);
    }

    /** Longest error text a report may carry. */
    public static final int MAX_ERROR_LENGTH = 16_000;

    /** {@code error} cut to {@link #MAX_ERROR_LENGTH} characters (null stays null). */
    public static String cutError(String error) {
        return error == null || error.length() <= MAX_ERROR_LENGTH ? error : error.substring(0, MAX_ERROR_LENGTH);
    }
}
