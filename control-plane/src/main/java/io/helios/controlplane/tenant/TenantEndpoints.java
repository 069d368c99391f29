package io.helios.controlplane.tenant;

import io.helios.controlplane.endpoint.EndpointUsers;
import org.springframework.stereotype.Component;

import java.util.HashSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/** Tenants as users of endpoints: the primary endpoint a tenant declares. Stateless. */
@Component
class TenantEndpoints implements EndpointUsers {

    private final TenantRepository tenants;

    TenantEndpoints(TenantRepository tenants) {
        this.tenants = tenants;
    }

    @Override
    public Optional<String> usesOfEndpoint(UUID endpointId) {
        long primaries = tenants.countByPrimaryEndpointId(endpointId);
        return primaries == 0 ? Optional.empty() : Optional.of("the primary of " + primaries + " tenant(s)");
    }

    @Override
    public Set<UUID> endpointsOfTenants(Set<String> tenantIds) {
        Set<UUID> endpoints = new HashSet<>();
        tenants.findAllById(tenantIds).stream().map(Tenant::primaryEndpointId).filter(Objects::nonNull)
                .forEach(endpoints::add);
        return endpoints;
    }
}
