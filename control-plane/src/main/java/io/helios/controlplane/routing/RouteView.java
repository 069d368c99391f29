package io.helios.controlplane.routing;

import io.swagger.v3.oas.annotations.media.Schema;

import java.util.UUID;

/** Where a tenant is served now. */
@Schema(description = "The tenant's current primary endpoint and routing epoch")
public record RouteView(
        String tenantId,
        UUID primaryEndpointId,
        String endpointName,
        String region,
        String jdbcUrl,
        @Schema(description = "Grows with every change of primary; a client holding a smaller epoch has a stale route")
        long routingEpoch,
        @Schema(description = "DECLARED (the tenant's primary endpoint) or REPLICATION_SOURCE (the source of its first replication)")
        String basis) {
}
