package io.helios.controlplane.maintenance;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * Reads the {@code helios_<32 hex>} slots and publications of an endpoint's database: the names
 * {@code ReplicationNames} gives replications. Slots of other databases of the same server belong
 * to the endpoints registered for those databases and are left to them. Stateless.
 */
public final class SourceSlots {

    /** {@code ReplicationNames.slot}/{@code publication} of a UUID, as a SQL regular expression. */
    public static final String NAME_PATTERN = "^helios_[0-9a-f]{32}$";

    private SourceSlots() {
    }

    /** One slot as {@code pg_replication_slots} shows it. */
    public record Slot(String name, Integer activePid, String walStatus, Long safeWalSize, Long retainedBytes) {

        public boolean active() {
            return activePid != null;
        }
    }

    /** The Helios slots of the connection's database, by name. */
    public static Map<String, Slot> slots(Connection c) throws SQLException {
        Map<String, Slot> slots = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT slot_name, active_pid, wal_status, safe_wal_size,
                       pg_wal_lsn_diff(CASE WHEN pg_is_in_recovery() THEN pg_last_wal_replay_lsn()
                                            ELSE pg_current_wal_lsn() END, restart_lsn)::bigint
                FROM pg_replication_slots
                WHERE slot_name ~ ? AND database = current_database()
                ORDER BY slot_name""")) {
            ps.setString(1, NAME_PATTERN);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    slots.put(rs.getString(1), new Slot(rs.getString(1), (Integer) rs.getObject(2), rs.getString(3),
                            (Long) rs.getObject(4), (Long) rs.getObject(5)));
                }
            }
        }
        return slots;
    }

    /** The Helios publications of the connection's database. */
    public static Set<String> publications(Connection c) throws SQLException {
        Set<String> names = new LinkedHashSet<>();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT pubname FROM pg_publication WHERE pubname ~ ? ORDER BY pubname")) {
            ps.setString(1, NAME_PATTERN);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    names.add(rs.getString(1));
                }
            }
        }
        return names;
    }

    /**
     * Drops a slot only if no walsender holds it: unlike {@code ReplicationSlots.drop}, never ends
     * a session. Answers whether it dropped one; false when the slot is gone or in use.
     */
    public static boolean dropIfInactive(Connection c, String slot) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots"
                + " WHERE slot_name = ? AND active_pid IS NULL AND database = current_database()")) {
            ps.setString(1, slot);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        } catch (SQLException e) {
            // 55006 object_in_use: a walsender took it between the check and the drop; 42704: dropped meanwhile
            if ("55006".equals(e.getSQLState()) || "42704".equals(e.getSQLState())) {
                return false;
            }
            throw e;
        }
    }
}
