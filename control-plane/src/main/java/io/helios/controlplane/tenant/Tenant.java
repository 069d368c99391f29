package io.helios.controlplane.tenant;

import org.springframework.data.annotation.Id;
import org.springframework.data.annotation.Version;

import java.time.Instant;
import java.util.UUID;

/**
 * A tenant of the SaaS, by an operator-chosen slug. {@code routingEpoch} grows each time the
 * tenant's primary endpoint changes, so clients can tell a stale route from a current one.
 */
public record Tenant(@Id String id, String name, UUID primaryEndpointId, long routingEpoch, Instant createdAt,
                     @Version Long version) {

    public Tenant withVersion(Long newVersion) {
        return new Tenant(id, name, primaryEndpointId, routingEpoch, createdAt, newVersion);
    }
}
