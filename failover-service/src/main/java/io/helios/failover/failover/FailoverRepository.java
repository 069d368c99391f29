package io.helios.failover.failover;

import org.springframework.data.jdbc.repository.query.Query;
import org.springframework.data.repository.ListCrudRepository;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

interface FailoverRepository extends ListCrudRepository<Failover, UUID> {

    @Query("SELECT * FROM failover ORDER BY started_at DESC LIMIT :limit")
    List<Failover> findRecent(int limit);

    @Query("SELECT * FROM failover WHERE state IN ('PROMOTING', 'PROMOTED', 'OLD_PRIMARY_FENCED')")
    List<Failover> findUnfinished();

    @Query("SELECT * FROM failover WHERE replication_id = :replicationId ORDER BY started_at DESC LIMIT 1")
    Optional<Failover> findLatestOf(UUID replicationId);
}
