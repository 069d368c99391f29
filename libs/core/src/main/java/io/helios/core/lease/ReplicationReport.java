package io.helios.core.lease;

/**
 * What a worker reports of one leased replication with each heartbeat.
 *
 * @param phase one of STARTING, COPYING, STREAMING, PAUSED, FAILED, STOPPED
 */
public record ReplicationReport(String replicationId, long epoch, String phase, String lastAppliedLsn,
                                double lagP50Millis, double lagP99Millis, double rowsPerSecond,
                                long rowsApplied, long transactionsApplied, long copyRowsDone,
                                Integer copyPercent, String lastError) {
}
