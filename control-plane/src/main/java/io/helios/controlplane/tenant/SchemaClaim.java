package io.helios.controlplane.tenant;

import io.swagger.v3.oas.annotations.media.Schema;

import java.time.Instant;
import java.util.UUID;

/**
 * A schema on an endpoint that a tenant claims. An exclusive claim makes the schema the tenant's
 * alone; a shared claim names a schema of shared tables (ROW model) that several tenants use.
 */
@Schema(description = "A schema on an endpoint claimed by a tenant")
public record SchemaClaim(String tenantId, UUID endpointId, String schemaName,
                          @Schema(description = "false: the tenant's alone; true: a schema of shared ROW tables")
                          boolean shared,
                          Instant claimedAt) {

    public boolean exclusive() {
        return !shared;
    }
}
