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
 */
public record ReplicationReport(@Size(max = 64) String replicationId, long epoch, @Size(max = 32) String phase,
                                @Size(max = 32) String lastAppliedLsn,
                                double lagP50Millis, double lagP99Millis, double rowsPerSecond,
                                long rowsApplied, long transactionsApplied, long copyRowsDone,
                                @Min(0) @Max(100) Integer copyPercent, @Size(max = MAX_ERROR_LENGTH) String lastError) {

    /** Longest error text a report may carry. */
    public static final int MAX_ERROR_LENGTH = 16_000;

    /** {@code error} cut to {@link #MAX_ERROR_LENGTH} characters (null stays null). */
    public static String cutError(String error) {
        return error == null || error.length() <= MAX_ERROR_LENGTH ? error : error.substring(0, MAX_ERROR_LENGTH);
    }
}
