package io.helios.controlplane.tenant;

import io.swagger.v3.oas.annotations.media.Schema;

/** The body of a schema claim; absent means an exclusive claim. */
@Schema(description = "How a tenant claims a schema")
public record SchemaClaimRequest(
        @Schema(description = "true: a schema of shared ROW tables several tenants may claim as shared (unrestricted "
                + "admins only); false (default): the tenant's alone") Boolean shared) {

    boolean isShared() {
        return Boolean.TRUE.equals(shared);
    }
}
