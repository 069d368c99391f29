package io.helios.controlplane.replication;

import org.springframework.data.domain.Limit;
import org.springframework.data.jdbc.repository.query.Modifying;
import org.springframework.data.jdbc.repository.query.Query;
import org.springframework.data.repository.ListCrudRepository;
import org.springframework.data.repository.query.Param;

import java.util.Collection;
import java.util.List;
import java.util.UUID;

/** Replications, the few state queries of the lease protocol, and who refers to what. */
interface ReplicationRepository extends ListCrudRepository<Replication, UUID> {

    List<Replication> findByTenantIdOrderByCreatedAt(String tenantId);

    List<Replication> findByTenantIdIn(Collection<String> tenantIds);

    long countByTenantId(String tenantId);

    long countByQosPolicyId(UUID policyId);

    @Query("SELECT count(*) FROM replication WHERE source_endpoint_id = :id OR target_endpoint_id = :id")
    long countUsingEndpoint(@Param("id") UUID endpointId);

    @Query("SELECT count(*) FROM replication WHERE state = :state")
    long countByState(@Param("state") String state);

    /** Bumps the fencing token (and the optimistic version) and answers the new epoch. */
    @Query("UPDATE replication SET lease_epoch = lease_epoch + 1, version = version + 1 WHERE id = :id RETURNING lease_epoch")
    long bumpLeaseEpoch(@Param("id") UUID id);

    /** Moves a replication to FAILED when it is still in {@code RUNNING} or {@code PAUSED}. */
    @Modifying
    @Query("UPDATE replication SET state = 'FAILED', updated_at = :at, version = version + 1"
            + " WHERE id = :id AND state IN ('RUNNING', 'PAUSED')")
    int markFailed(@Param("id") UUID id, @Param("at") java.sql.Timestamp at);

    /** First rows in id order (list paging). */
    List<Replication> findAllByOrderByIdAsc(Limit limit);

    /** Rows after {@code after} in id order (list paging). */
    List<Replication> findByIdGreaterThanOrderByIdAsc(UUID after, Limit limit);
}
