package io.helios.controlplane.replication;

import io.helios.controlplane.endpoint.EndpointUsers;
import io.helios.controlplane.qos.QosPolicyUsers;
import io.helios.controlplane.tenant.TenantUsers;
import org.springframework.stereotype.Component;

import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Replications as users of what they refer to by id: their tenant, their source and target
 * endpoints, their QoS policy. Lets those features refuse to remove what a replication still
 * uses without reading the replication table. Stateless.
 */
@Component
class ReplicationReferences implements EndpointUsers, TenantUsers, QosPolicyUsers {

    private final ReplicationRepository replications;

    ReplicationReferences(ReplicationRepository replications) {
        this.replications = replications;
    }

    @Override
    public Optional<String> usesOfEndpoint(UUID endpointId) {
        return described(replications.countUsingEndpoint(endpointId)).map(n -> "used by " + n);
    }

    @Override
    public Set<UUID> endpointsOfTenants(Set<String> tenantIds) {
        Set<UUID> endpoints = new HashSet<>();
        for (Replication r : replications.findByTenantIdIn(tenantIds)) {
            endpoints.add(r.sourceEndpointId());
            endpoints.add(r.targetEndpointId());
        }
        return endpoints;
    }

    @Override
    public Optional<String> usesOfTenant(String tenantId) {
        return described(replications.countByTenantId(tenantId));
    }

    @Override
    public Optional<String> usesOfPolicy(UUID policyId) {
        return described(replications.countByQosPolicyId(policyId));
    }

    private static Optional<String> described(long replicationCount) {
        return replicationCount == 0 ? Optional.empty() : Optional.of(replicationCount + " replication(s)");
    }
}
