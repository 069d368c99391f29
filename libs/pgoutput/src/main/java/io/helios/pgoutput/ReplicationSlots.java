package io.helios.pgoutput;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/** Logical replication slots of a source: existence, removal. */
public final class ReplicationSlots {

    private static final Logger log = LoggerFactory.getLogger(ReplicationSlots.class);

    private ReplicationSlots() {
    }

    public static boolean exists(Connection c, String slot) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM pg_replication_slots WHERE slot_name = ?")) {
            ps.setString(1, slot);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
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
