package io.helios.migration.migration;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;

import java.util.UUID;

/** What an operator sends to start moving a tenant. */
@Schema(description = "A live migration of one tenant from its current primary to another endpoint")
public record MigrationRequest(
        @Schema(description = "Tenant id", example = "acme") @NotBlank @Size(max = 63) String tenantId,
        @Schema(description = "Endpoint that becomes the tenant's primary") @NotNull UUID targetEndpointId,
        @Schema(description = "Schema on the target (default: the source schema)")
        @Size(max = 63) @Pattern(regexp = "[A-Za-z_][A-Za-z0-9_$]*", message = "must be a plain identifier") String targetSchema,
        @Schema(description = "AUTO cuts over as soon as the lag is under maxLagForCutoverMs; MANUAL waits in READY for "
                + "POST .../cutover") @NotNull Migration.CutoverMode cutover,
        @Schema(description = "Longest write pause a cutover may take before it is rolled back (default 100)", example = "100")
        @Positive @Max(10_000) Integer maxWritePauseMs,
        @Schema(description = "Lag under which the cutover may begin (default 1000)", example = "1000")
        @Positive @Max(3_600_000) Long maxLagForCutoverMs,
        @Schema(description = "Replicate back to the old primary after the cutover, so the move can be rolled back "
                + "(default true)") Boolean keepReverse,
        @Schema(description = "Remove what the migration created on the old primary once done (default false)")
        Boolean cleanupSource,
        @Schema(description = "When the tenant has no replication yet: SCHEMA, ROW or DATABASE (default: the layout of "
                + "the tenant's replication from its primary)") @Pattern(regexp = "SCHEMA|ROW|DATABASE") String tenancyModel,
        @Schema(description = "When the tenant has no replication yet: its schema on the source")
        @Size(max = 63) @Pattern(regexp = "[A-Za-z_][A-Za-z0-9_$]*", message = "must be a plain identifier") String sourceSchema,
        @Schema(description = "ROW: the discriminator column (default tenant_id)")
        @Size(max = 63) @Pattern(regexp = "[A-Za-z_][A-Za-z0-9_$]*", message = "must be a plain identifier") String discriminatorColumn) {

    int pauseMs() {
        return maxWritePauseMs == null ? 100 : maxWritePauseMs;
    }

    long lagMs() {
        return maxLagForCutoverMs == null ? 1000 : maxLagForCutoverMs;
    }
}
