package io.helios.failover.failover;

import io.swagger.v3.oas.annotations.media.Schema;

import java.time.Instant;
import java.util.UUID;

/** A failover as the API shows it. */
@Schema(description = "A tenant failover")
public record FailoverView(
        UUID id, String tenantId, UUID replicationId,
        @Schema(description = "The old primary (the replication's source)") UUID oldPrimaryEndpointId,
        @Schema(description = "The new primary (the replication's target)") UUID newPrimaryEndpointId,
        String newPrimaryRegion,
        @Schema(description = "AUTOMATIC or MANUAL") String trigger,
        @Schema(description = "PROMOTING, PROMOTED, OLD_PRIMARY_FENCED, QUARANTINED or FAILED") FailoverState state,
        @Schema(description = "Why: the decision's conditions, or the operator's reason") String reason,
        @Schema(description = "End LSN of the last source transaction the new primary applied") String lastAppliedLsn,
        @Schema(description = "The replication's fencing epoch after the revocation") Long leaseEpoch,
        @Schema(description = "The tenant's routing epoch after the move") Long routingEpoch,
        @Schema(description = "The last error of a step (a PROMOTING failover retries it)") String error,
        Instant startedAt, Instant promotedAt,
        @Schema(description = "When the old primary answered again and was fenced") Instant fencedAt,
        Instant quarantinedAt,
        @Schema(description = "Transactions the old primary committed after lastAppliedLsn") Integer quarantinedTransactions,
        @Schema(description = "The reverse replication (new primary -> old primary) of a failback") UUID failbackReplicationId,
        Instant updatedAt) {

    static FailoverView of(Failover f) {
        return new FailoverView(f.id(), f.tenantId(), f.replicationId(), f.oldPrimaryId(), f.newPrimaryId(),
                f.newPrimaryRegion(), f.trigger(), f.state(), f.reason(), f.lastAppliedLsn(), f.leaseEpoch(),
                f.routingEpoch(), f.error(), f.startedAt(), f.promotedAt(), f.fencedAt(), f.quarantinedAt(),
                f.quarantinedCount(), f.failbackReplicationId(), f.updatedAt());
    }
}
