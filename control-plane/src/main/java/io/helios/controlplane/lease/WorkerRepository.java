package io.helios.controlplane.lease;

import org.springframework.data.domain.Limit;
import org.springframework.data.jdbc.repository.query.Modifying;
import org.springframework.data.jdbc.repository.query.Query;
import org.springframework.data.repository.Repository;
import org.springframework.data.repository.query.Param;

import java.sql.Timestamp;
import java.util.List;

/** The worker registry. */
interface WorkerRepository extends Repository<Worker, String> {

    List<Worker> findAll();

    @Modifying
    @Query("""
            INSERT INTO worker (id, address, capacity, registered_at, last_heartbeat_at) VALUES (:id, :address, :capacity, :at, :at)
            ON CONFLICT (id) DO UPDATE SET address = EXCLUDED.address, capacity = EXCLUDED.capacity,
                last_heartbeat_at = EXCLUDED.last_heartbeat_at
            """)
    void beat(@Param("id") String id, @Param("address") String address, @Param("capacity") int capacity,
              @Param("at") Timestamp at);

    /** Forgets a worker that left (its leases must be released first). */
    @Modifying
    @Query("DELETE FROM worker WHERE id = :id")
    int remove(@Param("id") String id);

    /** Workers heard from since {@code since} (the caller included). */
    @Query("SELECT count(*) FROM worker WHERE last_heartbeat_at >= :since")
    long countLive(@Param("since") Timestamp since);

    /** First rows in id order (list paging). */
    List<Worker> findAllByOrderByIdAsc(Limit limit);

    /** Rows after {@code after} in id order (list paging). */
    List<Worker> findByIdGreaterThanOrderByIdAsc(String after, Limit limit);
}
