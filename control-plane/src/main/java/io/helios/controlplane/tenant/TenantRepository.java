package io.helios.controlplane.tenant;

import org.springframework.data.domain.Limit;
import org.springframework.data.jdbc.repository.query.Modifying;
import org.springframework.data.jdbc.repository.query.Query;
import org.springframework.data.repository.ListCrudRepository;
import org.springframework.data.repository.query.Param;

import java.util.List;
import java.util.UUID;

/** Tenants by their slug. */
interface TenantRepository extends ListCrudRepository<Tenant, String> {

    long countByPrimaryEndpointId(UUID endpointId);

    /** Deletes the tenant; answers the rows deleted (0 when it was already gone). */
    @Modifying
    @Query("DELETE FROM tenant WHERE id = :id")
    int deleteIfPresent(@Param("id") String id);

    /** First rows in id order (list paging). */
    List<Tenant> findAllByOrderByIdAsc(Limit limit);

    /** Rows after {@code after} in id order (list paging). */
    List<Tenant> findByIdGreaterThanOrderByIdAsc(String after, Limit limit);
}
