package io.helios.controlplane.tenant;

import io.swagger.v3.oas.annotations.media.Schema;

import java.time.Instant;
import java.util.UUID;

/** A shared endpoint a tenant's replications may use, granted by an unrestricted admin. */
@Schema(description = "A shared endpoint granted to a tenant")
public record EndpointGrant(String tenantId, UUID endpointId, Instant grantedAt) {
}
