package io.helios.controlplane.lease;

import org.springframework.data.jdbc.repository.query.Modifying;
import org.springframework.data.jdbc.repository.query.Query;
import org.springframework.data.repository.Repository;
import org.springframework.data.repository.query.Param;

import java.sql.Timestamp;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Leases; every write happens under the assignment lock. */
interface LeaseRepository extends Repository<Lease, UUID> {

    Optional<Lease> findById(UUID replicationId);

    List<Lease> findByWorkerIdOrderByGrantedAt(String workerId);

    /** Every lease, for rebalancing. */
    List<Lease> findAll();

    @Query("SELECT count(*) FROM lease")
    long countAll();

    @Query("SELECT count(*) FROM lease WHERE worker_id = :worker")
    int countByWorker(@Param("worker") String workerId);

    /** Deletes leases whose holder has been silent past their expiry; answers their replications. */
    @Query("DELETE FROM lease WHERE expires_at < :now RETURNING replication_id")
    List<UUID> deleteExpired(@Param("now") Timestamp now);

    @Modifying
    @Query("UPDATE lease SET expires_at = :expiresAt WHERE worker_id = :worker")
    int renew(@Param("worker") String workerId, @Param("expiresAt") Timestamp expiresAt);

    @Modifying
    @Query("INSERT INTO lease (replication_id, worker_id, epoch, granted_at, expires_at)"
            + " VALUES (:id, :worker, :epoch, :now, :expiresAt)")
    void grant(@Param("id") UUID replicationId, @Param("worker") String workerId, @Param("epoch") long epoch,
               @Param("now") Timestamp now, @Param("expiresAt") Timestamp expiresAt);

    @Modifying
    @Query("DELETE FROM lease WHERE replication_id = :id")
    int release(@Param("id") UUID replicationId);

    /** Deletes every lease of a worker that is leaving; answers their replications. */
    @Query("DELETE FROM lease WHERE worker_id = :worker RETURNING replication_id")
    List<UUID> releaseAll(@Param("worker") String workerId);

    /** RUNNING or PAUSED replications nobody holds, highest QoS priority first, oldest first. */
    @Query("""
            SELECT r.id FROM replication r LEFT JOIN qos_policy q ON q.id = r.qos_policy_id
            WHERE r.state IN ('RUNNING', 'PAUSED') AND NOT EXISTS (SELECT 1 FROM lease l WHERE l.replication_id = r.id)
            ORDER BY coalesce(q.priority, 128) DESC, r.created_at, r.id
            LIMIT :limit
            """)
    List<UUID> findUnleasedActive(@Param("limit") int limit);
}
