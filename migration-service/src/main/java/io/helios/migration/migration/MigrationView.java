package io.helios.migration.migration;

import io.swagger.v3.oas.annotations.media.Schema;

import java.time.Instant;
import java.util.UUID;

/** A migration as the API shows it: what was asked, where it stands, progress and the measured write pause. */
@Schema(description = "A migration and its progress")
public record MigrationView(
        UUID id, String tenantId, UUID sourceEndpointId, UUID targetEndpointId, String targetSchema,
        Migration.CutoverMode cutover, int maxWritePauseMs, long maxLagForCutoverMs, boolean keepReverse,
        boolean cleanupSource,
        @Schema(description = "PLANNED, COPYING, CATCHING_UP, READY, CUTTING_OVER, CUT_OVER, REVERSE_REPLICATING, "
                + "CLEANING_UP, DONE, ABORTED or FAILED") MigrationPhase phase,
        @Schema(description = "FORWARD, or BACK while a rollback cuts over") Migration.Direction direction,
        @Schema(description = "MOVED, ROLLED_BACK, ABORTED or FAILED once final") String outcome,
        @Schema(description = "The replication that copies and catches up the target") UUID replicationId,
        @Schema(description = "Whether that replication existed before the migration (its copy was reused)")
        boolean replicationReused,
        @Schema(description = "The replication from the new primary back to the old one") UUID reverseReplicationId,
        @Schema(description = "Rows copied or applied so far") long rowsCopied,
        @Schema(description = "Bytes copied, when the worker reports them") Long bytesCopied,
        @Schema(description = "Copy progress in percent") Integer percent,
        @Schema(description = "Estimated seconds until the copy ends") Long etaSeconds,
        @Schema(description = "Replication lag (p99 of the last report) in milliseconds") Double lagMs,
        @Schema(description = "The committed cutover's write pause, hold to release, in milliseconds") Double writePauseMs,
        @Schema(description = "Source LSN the target had applied when the route moved") String finalLsn,
        @Schema(description = "The tenant's routing epoch the cutover started from, then the one it moved to") Long routingEpoch,
        int cutoverAttempts, boolean cutoverRequested, boolean abortRequested, boolean rollbackRequested,
        boolean completeRequested,
        @Schema(description = "Why the last step or cutover attempt did not go through") String lastError,
        Instant phaseSince, Instant createdAt, Instant updatedAt) {

    static MigrationView of(Migration m) {
        return new MigrationView(m.id(), m.tenantId(), m.sourceEndpointId(), m.targetEndpointId(), m.targetSchema(),
                m.cutoverMode(), m.maxWritePauseMs(), m.maxLagForCutoverMs(), m.keepReverse(), m.cleanupSource(),
                m.phase(), m.direction(), m.outcome(), m.replicationId(), m.replicationReused(),
                m.reverseReplicationId(), m.rowsCopied(), m.bytesCopied(), m.percent(), m.etaSeconds(), m.lagMs(),
                m.writePauseMs(), m.finalLsn(), m.routingEpoch(), m.cutoverAttempts(), m.cutoverRequested(),
                m.abortRequested(), m.rollbackRequested(), m.completeRequested(), m.lastError(), m.phaseSince(),
                m.createdAt(), m.updatedAt());
    }
}
