package io.helios.controlplane.preflight;

import io.helios.core.tenant.TenancyModel;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.NotNull;

import java.util.List;

/** What to check an endpoint for: its role and, optionally, the tenant layout to check tables against. */
@Schema(description = "Preflight of one endpoint")
public record PreflightRequest(
        @Schema(description = "SOURCE or TARGET") @NotNull Role role,
        @Schema(description = "Tenancy model; with it, the tenant's tables are checked too") TenancyModel tenancyModel,
        @Schema(description = "Tenant id (ROW)", example = "acme") String tenantId,
        @Schema(description = "Schema of the tenant's tables (default public)") String sourceSchema,
        @Schema(description = "ROW: discriminator column (default tenant_id)") String discriminatorColumn,
        List<String> includeTables,
        List<String> excludeTables) {
}
