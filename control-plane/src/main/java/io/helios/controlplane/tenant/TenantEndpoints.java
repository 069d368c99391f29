package io.helios.controlplane.tenant;

import io.helios.controlplane.endpoint.EndpointOwners;
import io.helios.controlplane.endpoint.EndpointService;
import io.helios.controlplane.endpoint.EndpointUsers;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

import java.util.HashSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Tenants as users and owners of endpoints: the primary endpoint a tenant declares, the shared
 * endpoints granted to it, and the endpoints it owns (which keep the tenant from being removed).
 * Stateless.
 */
@Component
class TenantEndpoints implements EndpointUsers, EndpointOwners, TenantUsers {

    private final TenantRepository tenants;
    private final EndpointGrants grants;
    private final ObjectProvider<EndpointService> endpointService;

    // the endpoint service needs this bean (as EndpointOwners): a provider breaks the cycle
    TenantEndpoints(TenantRepository tenants, EndpointGrants grants, ObjectProvider<EndpointService> endpoints) {
        this.tenants = tenants;
        this.grants = grants;
        this.endpointService = endpoints;
    }

    @Override
    public boolean tenantExists(String tenantId) {
        return tenants.existsById(tenantId);
    }

    @Override
    public Optional<String> usesOfTenant(String tenantId) {
        long owned = endpointService.getObject().countOwnedBy(tenantId);
        return owned == 0 ? Optional.empty() : Optional.of(owned + " owned endpoint(s)");
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
        endpoints.addAll(grants.endpointsOf(tenantIds));
        return endpoints;
    }
}
