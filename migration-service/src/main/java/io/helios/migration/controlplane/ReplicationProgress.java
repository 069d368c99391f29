package io.helios.migration.controlplane;

/**
 * What a replication's worker last reported: its phase ({@code STARTING}, {@code COPYING},
 * {@code STREAMING}, ...), rows copied and the copy's percent, the last applied LSN and lag.
 */
public record ReplicationProgress(String state, String phase, long copyRows, Integer copyPercent, long rowsApplied,
                                  String lastAppliedLsn, Double lagP99Ms, Double lagP50Ms, boolean stale,
                                  String lastError) {

    public boolean streaming() {
        return "STREAMING".equals(phase) && !stale;
    }
}
