package io.helios.controlplane.replication;

import org.springframework.data.jdbc.repository.query.Modifying;
import org.springframework.data.jdbc.repository.query.Query;
import org.springframework.data.repository.Repository;
import org.springframework.data.repository.query.Param;

import java.sql.Timestamp;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Last reported status per replication. */
interface ReplicationStatusRepository extends Repository<ReplicationStatus, UUID> {

    Optional<ReplicationStatus> findById(UUID replicationId);

    List<ReplicationStatus> findAll();

    @Modifying
    @Query("""
            INSERT INTO replication_status (replication_id, phase, worker_id, lease_epoch, last_applied_lsn, lag_p50_ms,
                lag_p99_ms, rows_per_second, rows_applied, transactions_applied, copy_rows_done, copy_percent,
                last_error, updated_at, source_reachable, source_down_since)
            VALUES (:id, :phase, :worker, :epoch, :lsn, :p50, :p99, :rps, :rows, :txs, :copyRows, :copyPercent, :error, :at,
                :sourceReachable, :sourceDownSince)
            ON CONFLICT (replication_id) DO UPDATE SET phase = EXCLUDED.phase, worker_id = EXCLUDED.worker_id,
                lease_epoch = EXCLUDED.lease_epoch, last_applied_lsn = EXCLUDED.last_applied_lsn,
                lag_p50_ms = EXCLUDED.lag_p50_ms, lag_p99_ms = EXCLUDED.lag_p99_ms,
                rows_per_second = EXCLUDED.rows_per_second, rows_applied = EXCLUDED.rows_applied,
                transactions_applied = EXCLUDED.transactions_applied, copy_rows_done = EXCLUDED.copy_rows_done,
                copy_percent = EXCLUDED.copy_percent, last_error = EXCLUDED.last_error, updated_at = EXCLUDED.updated_at,
                source_reachable = EXCLUDED.source_reachable, source_down_since = EXCLUDED.source_down_since
            """)
    void upsert(@Param("id") UUID id, @Param("phase") String phase, @Param("worker") String worker,
                @Param("epoch") long epoch, @Param("lsn") String lsn, @Param("p50") double p50, @Param("p99") double p99,
                @Param("rps") double rowsPerSecond, @Param("rows") long rows, @Param("txs") long transactions,
                @Param("copyRows") long copyRows, @Param("copyPercent") Integer copyPercent,
                @Param("error") String error, @Param("at") Timestamp at,
                @Param("sourceReachable") Boolean sourceReachable, @Param("sourceDownSince") Timestamp sourceDownSince);

    @Modifying
    @Query("DELETE FROM replication_status WHERE replication_id = :id")
    void deleteById(@Param("id") UUID replicationId);
}
