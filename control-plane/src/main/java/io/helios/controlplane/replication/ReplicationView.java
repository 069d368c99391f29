package io.helios.controlplane.replication;

import io.helios.core.apply.ConflictStrategy;
import io.helios.core.tenant.TenancyModel;
import io.swagger.v3.oas.annotations.media.Schema;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** A replication as the API shows it. */
@Schema(description = "A replication")
public record ReplicationView(UUID id, String tenantId, UUID sourceEndpointId, UUID targetEndpointId,
                              TenancyModel tenancyModel, String sourceSchema, String targetSchema,
                              String discriminatorColumn, List<String> includeTables, List<String> excludeTables,
                              Long lagTargetMs, UUID qosPolicyId, ConflictStrategy conflictStrategy,
                              ReplicationState state,
                              @Schema(description = "Current fencing epoch (grows with every lease grant and revocation)")
                              long leaseEpoch,
                              Instant createdAt, Instant updatedAt) {

    static ReplicationView of(Replication r) {
        return new ReplicationView(r.id(), r.tenantId(), r.sourceEndpointId(), r.targetEndpointId(), r.tenancyModel(),
                r.sourceSchema(), r.targetSchema(), r.discriminatorColumn(), r.includeList(), r.excludeList(),
                r.lagTargetMs(), r.qosPolicyId(), r.conflictStrategy(), r.state(), r.leaseEpoch(), r.createdAt(),
                r.updatedAt());
    }
}
