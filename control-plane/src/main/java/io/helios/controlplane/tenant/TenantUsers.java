package io.helios.controlplane.tenant;

import java.util.Optional;

/**
 * A feature whose records belong to tenants (replications). Implemented by that feature, over
 * its own tables, so that the tenant feature can refuse to remove a tenant that still has them
 * while the dependency points from the referring feature to this one only. Implementations are
 * stateless beans, called inside the caller's transaction.
 */
public interface TenantUsers {

    /** The tenant's records in this feature, as a refusal names them ("2 replication(s)"); empty if there are none. */
    Optional<String> usesOfTenant(String tenantId);
}
