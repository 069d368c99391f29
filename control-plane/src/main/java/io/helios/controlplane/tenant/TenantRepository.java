package io.helios.controlplane.tenant;

import org.springframework.data.repository.ListCrudRepository;

import java.util.UUID;

/** Tenants by their slug. */
interface TenantRepository extends ListCrudRepository<Tenant, String> {

    long countByPrimaryEndpointId(UUID endpointId);
}
