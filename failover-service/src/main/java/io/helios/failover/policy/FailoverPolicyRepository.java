package io.helios.failover.policy;

import org.springframework.data.jdbc.repository.query.Query;
import org.springframework.data.repository.ListCrudRepository;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

interface FailoverPolicyRepository extends ListCrudRepository<FailoverPolicy, UUID> {

    @Query("SELECT * FROM failover_policy ORDER BY name")
    List<FailoverPolicy> findAllOrdered();

    Optional<FailoverPolicy> findByReplicationId(UUID replicationId);

    @Query("SELECT * FROM failover_policy WHERE tenant_id = :tenantId AND replication_id IS NULL")
    Optional<FailoverPolicy> findTenantPolicy(String tenantId);
}
