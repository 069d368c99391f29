package io.helios.postgres.slot;

import io.helios.core.change.Lsn;
import io.helios.core.change.TableId;
import io.helios.postgres.PgEndpoint;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Logical replication slots of a source: creation with an exported snapshot, look-up, removal.
 * Both capture engines stream from the slots made here; the worker creates them and the control
 * plane drops them. Stateless: each call uses the connection or endpoint it is given, on the
 * caller's thread.
 */
public final class ReplicationSlots {

    private static final Logger log = LoggerFactory.getLogger(ReplicationSlots.class);
    private static final Pattern SLOT_NAME = Pattern.compile("[a-z0-9_]{1,63}");

    private ReplicationSlots() {
    }

    /**
     * Creates a {@code pgoutput} slot and exports its snapshot, on a walsender connection that
     * the returned {@link SlotSnapshot} keeps open (closing it releases the snapshot).
     *
     * @throws SQLException with SQLState 42710 when the slot already exists
     */
    public static SlotSnapshot createWithSnapshot(PgEndpoint source, String slot) throws SQLException {
        if (!SLOT_NAME.matcher(slot).matches()) {
            throw new IllegalArgumentException("slot name '" + slot + "' is invalid (lower-case letters, digits and _, at most 63)");
        }
        Connection c = source.openReplication();
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("CREATE_REPLICATION_SLOT " + TableId.quote(slot)
                     + " LOGICAL pgoutput EXPORT_SNAPSHOT")) {
            if (!rs.next()) {
                throw new SQLException("CREATE_REPLICATION_SLOT " + slot + " returned no row");
            }
            SlotSnapshot snapshot = new SlotSnapshot(slot, rs.getString("snapshot_name"),
                    Lsn.parse(rs.getString("consistent_point")), c);
            log.info("created replication slot {} on {} with exported snapshot {} at {}",
                    slot, source, snapshot.snapshotName(), snapshot.consistentPoint());
            return snapshot;
        } catch (SQLException | RuntimeException e) {
            c.close();
            if (e instanceof SQLException sql && "42710".equals(sql.getSQLState())) {
                throw new SQLException("replication slot " + slot + " already exists on " + source
                        + "; resume from it or drop it first", "42710", e);
            }
            throw e;
        }
    }

    /** Whether a slot of this name exists on the server (in any database). */
    public static boolean exists(Connection c, String slot) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM pg_replication_slots WHERE slot_name = ?")) {
            ps.setString(1, slot);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** The slot of this name in the connection's database, if there is one. */
    public static Optional<SlotState> find(Connection c, String slot) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT confirmed_flush_lsn, plugin FROM pg_replication_slots "
                + "WHERE slot_name = ? AND database = current_database()")) {
            ps.setString(1, slot);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                String lsn = rs.getString(1);
                return Optional.of(new SlotState(slot, rs.getString(2), lsn == null ? Lsn.ZERO : Lsn.parse(lsn)));
            }
        }
    }

    /**
     * Drops the slot if it exists, first ending the walsender that holds it (a worker that is
     * still streaming), so that no slot is left to retain WAL. Waits at most 10 s for the
     * slot to become free.
     *
     * @return whether a slot was dropped
     */
    public static boolean drop(Connection c, String slot) throws SQLException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (true) {
            Integer activePid = null;
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT active_pid FROM pg_replication_slots WHERE slot_name = ?")) {
                ps.setString(1, slot);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return false;
                    }
                    activePid = (Integer) rs.getObject(1);
                }
            }
            if (activePid != null) {
                try (PreparedStatement ps = c.prepareStatement("SELECT pg_terminate_backend(?)")) {
                    ps.setInt(1, activePid);
                    ps.execute();
                }
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT pg_drop_replication_slot(?)")) {
                ps.setString(1, slot);
                ps.execute();
                log.info("dropped replication slot {}", slot);
                return true;
            } catch (SQLException e) {
                // 55006 object_in_use: the terminated walsender has not exited yet
                if (!"55006".equals(e.getSQLState()) || System.nanoTime() > deadline) {
                    throw e;
                }
                try {
                    Thread.sleep(100);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw new SQLException("interrupted while dropping slot " + slot, ie);
                }
            }
        }
    }
}
