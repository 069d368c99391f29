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

    /**
     * Moves the tenant's primary if its routing epoch is still {@code expected} (compare-and-set:
     * of two movers holding the same epoch exactly one wins); answers the rows changed.
     */
    @Modifying
    @Query("UPDATE tenant SET primary_endpoint_id = :primary, routing_epoch = routing_epoch + 1, version = version + 1"
            + " WHERE id = :id AND routing_epoch = :expected")
    int moveIfAt(@Param("id") String id, @Param("primary") UUID primary, @Param("expected") long expected);

    /** First rows in id order (list paging). */
    List<Tenant> findAllByOrderByIdAsc(Limit limit);

    /** Rows after {@code after} in id order (list paging). */
    List<Tenant> findByIdGreaterThanOrderByIdAsc(String after, Limit limit);
}
