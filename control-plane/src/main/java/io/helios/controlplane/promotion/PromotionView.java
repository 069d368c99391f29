package io.helios.controlplane.promotion;

import io.helios.controlplane.replication.ReplicationState;
import io.swagger.v3.oas.annotations.media.Schema;

import java.util.UUID;

/** The outcome of a promotion: the replication stopped, its lease fenced, the position its target holds. */
@Schema(description = "A promoted replication: stopped, lease revoked, target checkpoint fenced at the new epoch")
public record PromotionView(
        UUID replicationId,
        String tenantId,
        UUID sourceEndpointId,
        UUID targetEndpointId,
        @Schema(description = "The fencing epoch after the revocation: no worker of an older epoch can apply")
        long leaseEpoch,
        @Schema(description = "End LSN of the last source transaction the target applied (its checkpoint); null when "
                + "the target never completed its initial copy", example = "0/16B3748")
        String lastAppliedLsn,
        ReplicationState state) {
}
