package io.helios.controlplane.endpoint;

import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * A feature whose records refer to endpoints (a tenant's primary, a replication's source and
 * target). Implemented by that feature, over its own tables, so that the endpoint feature can
 * refuse to remove an endpoint in use and show a caller limited to some tenants the endpoints
 * those tenants use, while the dependency points from the referring feature to this one only.
 * Implementations are stateless beans, called on request threads inside the caller's
 * transaction if there is one.
 */
public interface EndpointUsers {

    /**
     * How this feature's records use the endpoint, as a refusal names it after "endpoint ... is"
     * ("used by 2 replication(s)"); empty if they do not.
     */
    Optional<String> usesOfEndpoint(UUID endpointId);

    /** The endpoints that this feature's records of the given tenants refer to. */
    Set<UUID> endpointsOfTenants(Set<String> tenantIds);
}
