package io.helios.migration.migration;

import java.time.Instant;
import java.util.UUID;

/**
 * One migration as stored: what was asked, where it stands, and the progress last read.
 * Immutable; the driver reads it again after every change.
 */
public record Migration(UUID id, String tenantId, UUID sourceEndpointId, UUID targetEndpointId, String targetSchema,
                        String tenancyModel, String sourceSchema, String discriminatorColumn,
                        CutoverMode cutoverMode, int maxWritePauseMs, long maxLagForCutoverMs, boolean keepReverse,
                        boolean cleanupSource, MigrationPhase phase, Direction direction, String outcome,
                        UUID replicationId, boolean replicationReused, UUID reverseReplicationId, Long routingEpoch,
                        boolean cutoverRequested, boolean abortRequested, boolean rollbackRequested,
                        boolean completeRequested, long rowsCopied, Long bytesCopied, Integer percent, Long etaSeconds,
                        Double lagMs, Double writePauseMs, int cutoverAttempts, String finalLsn, String lastError,
                        Instant phaseSince, Instant createdAt, Instant updatedAt) {

    public enum CutoverMode { AUTO, MANUAL }

    /** FORWARD moves the tenant to the target; BACK (a rollback) moves it back to the source. */
    public enum Direction { FORWARD, BACK }

    /** The endpoint the tenant is served from before the current cutover. */
    public UUID currentPrimary() {
        return direction == Direction.FORWARD ? sourceEndpointId : targetEndpointId;
    }

    /** The endpoint the current cutover moves the tenant to. */
    public UUID nextPrimary() {
        return direction == Direction.FORWARD ? targetEndpointId : sourceEndpointId;
    }

    /** The replication that feeds {@link #nextPrimary()}: the forward one, or the reverse one for a rollback. */
    public UUID feedingReplication() {
        return direction == Direction.FORWARD ? replicationId : reverseReplicationId;
    }
}
