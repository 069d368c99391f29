package io.helios.controlplane.preflight;

import io.helios.core.tenant.TenancyModel;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

import java.util.List;

/** What to check an endpoint for: its role and, optionally, the tenant layout to check tables against. */
@Schema(description = "Preflight of one endpoint")
public record PreflightRequest(
        @Schema(description = "SOURCE or TARGET") @NotNull Role role,
        @Schema(description = "Tenancy model; with it, the tenant's tables are checked too") TenancyModel tenancyModel,
        @Schema(description = "Tenant id (ROW)", example = "acme") @Size(max = 63) String tenantId,
        @Schema(description = "Schema of the tenant's tables (default public)") @Size(max = 63) String sourceSchema,
        @Schema(description = "ROW: discriminator column (default tenant_id)") @Size(max = 63) String discriminatorColumn,
        @ArraySchema(schema = @Schema(description = "Table glob: * and ?, optionally schema.table; at most 128 characters and 16 wildcards"))
        @Size(max = 64) List<@NotNull @Size(max = 128) String> includeTables,
        @ArraySchema(schema = @Schema(description = "Table glob to leave out"))
        @Size(max = 64) List<@NotNull @Size(max = 128) String> excludeTables) {
}
