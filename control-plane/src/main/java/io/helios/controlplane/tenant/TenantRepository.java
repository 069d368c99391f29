package io.helios.controlplane.tenant;

import org.springframework.data.repository.ListCrudRepository;

/** Tenants by their slug. */
public interface TenantRepository extends ListCrudRepository<Tenant, String> {
}
