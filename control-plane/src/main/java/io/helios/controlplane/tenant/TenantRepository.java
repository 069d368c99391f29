package io.helios.controlplane.tenant;

import org.springframework.data.jdbc.repository.query.Modifying;
import org.springframework.data.jdbc.repository.query.Query;
import org.springframework.data.repository.ListCrudRepository;
import org.springframework.data.repository.query.Param;

import java.util.UUID;

/** Tenants by their slug. */
interface TenantRepository extends ListCrudRepository<Tenant, String> {

    long countByPrimaryEndpointId(UUID endpointId);

    /** Deletes the tenant; answers the rows deleted (0 when it was already gone). */
    @Modifying
    @Query("DELETE FROM tenant WHERE id = :id")
    int deleteIfPresent(@Param("id") String id);
}
