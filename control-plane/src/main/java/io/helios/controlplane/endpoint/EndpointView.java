package io.helios.controlplane.endpoint;

import io.swagger.v3.oas.annotations.media.Schema;

import java.time.Instant;
import java.util.UUID;

/** An endpoint as the API shows it: everything but the password. */
@Schema(description = "A registered endpoint (the password is never returned)")
public record EndpointView(UUID id, String name, String region, String jdbcUrl, String username,
                           @Schema(description = "Whether a password is stored") boolean hasPassword,
                           @Schema(description = "The tenant the endpoint belongs to; null = shared") String ownerTenantId,
                           Instant createdAt) {

    static EndpointView of(Endpoint e) {
        return new EndpointView(e.id(), e.name(), e.region(), e.jdbcUrl(), e.username(), e.sealedPassword() != null,
                e.ownerTenantId(), e.createdAt());
    }
}
