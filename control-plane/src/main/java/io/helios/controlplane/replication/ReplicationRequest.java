package io.helios.controlplane.replication;

import io.helios.core.apply.ConflictStrategy;
import io.helios.core.tenant.TenancyModel;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;

import java.util.List;
import java.util.UUID;

/** What an operator sends to declare (or, while CREATED or STOPPED, change) a replication. */
@Schema(description = "A replication of one tenant from a source endpoint to a target endpoint")
public record ReplicationRequest(
        @Schema(description = "Tenant id", example = "acme") @NotBlank @Size(max = 63) String tenantId,
        @Schema(description = "Endpoint to replicate from") @NotNull UUID sourceEndpointId,
        @Schema(description = "Endpoint to replicate to; must differ from the source") @NotNull UUID targetEndpointId,
        @Schema(description = "How the tenant is laid out on the source") @NotNull TenancyModel tenancyModel,
        @Schema(description = "SCHEMA: the tenant's schema; ROW: the schema of the shared tables (default public)",
                example = "acme") @Size(max = 63) String sourceSchema,
        @Schema(description = "Schema on the target (default: the source schema)") @Size(max = 63) String targetSchema,
        @Schema(description = "ROW: the column holding the tenant id (default tenant_id)", example = "tenant_id")
        @Size(max = 63) String discriminatorColumn,
        @ArraySchema(schema = @Schema(description = "Table glob: * and ?, optionally schema.table; at most 128 characters and 16 wildcards",
                example = "order*"))
        @Size(max = 64) List<@NotNull @Size(max = 128) String> includeTables,
        @ArraySchema(schema = @Schema(description = "Table glob to leave out", example = "*_tmp"))
        @Size(max = 64) List<@NotNull @Size(max = 128) String> excludeTables,
        @Schema(description = "Lag target in milliseconds (default: the QoS policy's max lag, else 5000); at most one day")
        @Positive @Max(86_400_000) Long lagTargetMs,
        @Schema(description = "QoS policy id") UUID qosPolicyId,
        @Schema(description = "Conflict strategy (default ERROR)") ConflictStrategy conflictStrategy) {
}
