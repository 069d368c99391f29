package io.helios.controlplane.endpoint;

import org.springframework.data.annotation.Id;
import org.springframework.data.annotation.Version;

import java.time.Instant;
import java.util.UUID;

/**
 * A PostgreSQL database Helios replicates from or to. The password is stored sealed
 * (AES-256-GCM, context {@code endpoint:<id>}) and never leaves this aggregate in clear,
 * nor appears in {@link #toString()}. {@code ownerTenantId} is the tenant the endpoint belongs
 * to; {@code null} means shared (used by a tenant only when granted to it).
 */
public record Endpoint(@Id UUID id, String name, String region, String jdbcUrl, String username,
                       byte[] sealedPassword, String ownerTenantId, Instant createdAt, @Version Long version) {

    public Endpoint withVersion(Long newVersion) {
        return new Endpoint(id, name, region, jdbcUrl, username, sealedPassword, ownerTenantId, createdAt, newVersion);
    }

    public boolean ownedBy(String tenantId) {
        return ownerTenantId != null && ownerTenantId.equals(tenantId);
    }

    @Override
    public String toString() {
        return "Endpoint[id=" + id + ", name=" + name + ", region=" + region + ", jdbcUrl=" + jdbcUrl
                + ", username=" + username + ", owner=" + ownerTenantId + "]";
    }
}
