package io.helios.controlplane.tenant;

import io.swagger.v3.oas.annotations.media.Schema;

import java.time.Instant;
import java.util.UUID;

/** A tenant as the API shows it. */
@Schema(description = "A tenant")
public record TenantView(String id, String name, UUID primaryEndpointId, long routingEpoch, Instant createdAt) {

    static TenantView of(Tenant t) {
        return new TenantView(t.id(), t.name(), t.primaryEndpointId(), t.routingEpoch(), t.createdAt());
    }
}
