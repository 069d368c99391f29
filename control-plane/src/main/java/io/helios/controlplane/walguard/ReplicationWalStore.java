package io.helios.controlplane.walguard;

import io.helios.controlplane.replication.ReplicationHealth;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** The WAL guard's table {@code replication_wal}: its last reading and decision per replication. */
@Repository
class ReplicationWalStore {

    /** A row with the replication id and the persisted flags the guard compares against. */
    record Row(UUID replicationId, ReplicationHealth.Wal wal, boolean stale, boolean cleanupPending) {
    }

    private static final String COLUMNS = "replication_id, slot_name, slot_present, slot_active, wal_status,"
            + " retained_bytes, safe_wal_size, alert_level, needs_fresh_copy, reason, read_error, checked_at, stale,"
            + " cleanup_pending";

    private final JdbcClient jdbc;

    ReplicationWalStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    Optional<Row> find(UUID id) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM replication_wal WHERE replication_id = :id").param("id", id)
                .query(ReplicationWalStore::row).optional();
    }

    List<Row> all() {
        return jdbc.sql("SELECT " + COLUMNS + " FROM replication_wal").query(ReplicationWalStore::row).list();
    }

    /** Stores a reading; keeps the persisted fresh-copy mark and its reason unless {@code wal} sets them. */
    void save(UUID id, ReplicationHealth.Wal wal, boolean stale, boolean cleanupPending) {
        jdbc.sql("""
                INSERT INTO replication_wal (replication_id, slot_name, slot_present, slot_active, wal_status,
                    retained_bytes, safe_wal_size, alert_level, needs_fresh_copy, reason, read_error, checked_at, stale,
                    cleanup_pending)
                VALUES (:id, :slot, :present, :active, :status, :retained, :safe, :level, :fresh, :reason, :error, :at,
                    :stale, :cleanup)
                ON CONFLICT (replication_id) DO UPDATE SET slot_name = EXCLUDED.slot_name,
                    slot_present = EXCLUDED.slot_present, slot_active = EXCLUDED.slot_active,
                    wal_status = EXCLUDED.wal_status, retained_bytes = EXCLUDED.retained_bytes,
                    safe_wal_size = EXCLUDED.safe_wal_size, alert_level = EXCLUDED.alert_level,
                    needs_fresh_copy = EXCLUDED.needs_fresh_copy, reason = EXCLUDED.reason,
                    read_error = EXCLUDED.read_error, checked_at = EXCLUDED.checked_at, stale = EXCLUDED.stale,
                    cleanup_pending = EXCLUDED.cleanup_pending
                """)
                .param("id", id).param("slot", wal.slot()).param("present", wal.slotPresent())
                .param("active", wal.slotActive()).param("status", wal.walStatus())
                .param("retained", wal.retainedBytes()).param("safe", wal.safeWalSize())
                .param("level", wal.alertLevel()).param("fresh", wal.needsFreshCopy()).param("reason", wal.reason())
                .param("error", wal.readError()).param("at", Timestamp.from(wal.checkedAt()))
                .param("stale", stale).param("cleanup", cleanupPending)
                .update();
    }

    private static Row row(ResultSet rs, int n) throws SQLException {
        Instant checked = rs.getTimestamp("checked_at").toInstant();
        ReplicationHealth.Wal wal = new ReplicationHealth.Wal(rs.getString("slot_name"), rs.getBoolean("slot_present"),
                (Boolean) rs.getObject("slot_active"), rs.getString("wal_status"), (Long) rs.getObject("retained_bytes"),
                (Long) rs.getObject("safe_wal_size"), rs.getString("alert_level"), rs.getBoolean("needs_fresh_copy"),
                rs.getString("reason"), rs.getString("read_error"), checked);
        return new Row(rs.getObject("replication_id", UUID.class), wal, rs.getBoolean("stale"),
                rs.getBoolean("cleanup_pending"));
    }
}
