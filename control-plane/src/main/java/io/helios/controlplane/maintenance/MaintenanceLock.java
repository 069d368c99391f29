package io.helios.controlplane.maintenance;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Lets one control-plane instance at a time run maintenance, with a session-level PostgreSQL
 * advisory lock on a dedicated connection of the control plane's database, held for the run and
 * released at its end (or when the instance dies and its connection closes). Distinct from the
 * {@code AssignmentLock}, so a long pass never holds up heartbeats. Thread-safe.
 */
@Component
public class MaintenanceLock {

    private static final Logger log = LoggerFactory.getLogger(MaintenanceLock.class);

    /** "HELMNT" in ASCII: the advisory lock key reserved for maintenance. */
    private static final long KEY = 0x48454C4D4E54L;

    private final DataSource dataSource;

    public MaintenanceLock(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Runs {@code work} if no other instance is running maintenance; answers whether it ran. */
    public boolean runExclusively(Runnable work) {
        try (Connection c = dataSource.getConnection()) {
            if (!call(c, "SELECT pg_try_advisory_lock(?)")) {
                log.debug("maintenance runs on another control-plane instance");
                return false;
            }
            try {
                work.run();
                return true;
            } finally {
                call(c, "SELECT pg_advisory_unlock(?)");
            }
        } catch (SQLException e) {
            log.warn("maintenance skipped: the control plane's database did not answer: {}", e.getMessage());
            return false;
        }
    }

    private static boolean call(Connection c, String sql) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, KEY);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        }
    }
}
