package io.helios.failover.health;

import io.helios.failover.endpoint.EndpointConnections;
import org.springframework.stereotype.Component;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.util.UUID;

/**
 * Probes one endpoint: connect (bounded), {@code SELECT 1, pg_is_in_recovery()}, then a write
 * probe: {@code txid_current()} in its own committed transaction, which writes and flushes a
 * commit record, so a server that accepts connections but cannot write (read-only, in recovery,
 * WAL disk full or hung) is not healthy. No table is touched. Each call opens and closes its own
 * connection (a dead server must not be hidden behind a pooled one). Thread-safe.
 */
@Component
public class EndpointProber {

    private final EndpointConnections connections;
    private final Clock clock;

    public EndpointProber(EndpointConnections connections, Clock clock) {
        this.connections = connections;
        this.clock = clock;
    }

    ProbeResult probe(UUID endpointId, String observerId) {
        Instant at = clock.instant();
        long start = System.nanoTime();
        boolean reachable = false;
        try (Connection c = connections.open(endpointId); Statement s = c.createStatement()) {
            c.setAutoCommit(true);
            boolean recovery;
            try (ResultSet rs = s.executeQuery("SELECT 1, pg_is_in_recovery()")) {
                rs.next();
                recovery = rs.getBoolean(2);
            }
            reachable = true;
            if (recovery) {
                return new ProbeResult(endpointId, observerId, at, true, false, millis(start), "in recovery (a standby)");
            }
            try (ResultSet rs = s.executeQuery("SELECT txid_current()")) {
                rs.next();
            }
            return new ProbeResult(endpointId, observerId, at, true, true, millis(start), null);
        } catch (SQLException | RuntimeException e) {
            return new ProbeResult(endpointId, observerId, at, reachable, false, millis(start), describe(e));
        }
    }

    private static double millis(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000.0;
    }

    /** The error without anything that could carry a secret (driver messages name host and user, not passwords). */
    static String describe(Exception e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        if (e instanceof SQLException sql && sql.getSQLState() != null) {
            m = sql.getSQLState() + ": " + m;
        }
        return m.length() > 500 ? m.substring(0, 500) : m;
    }
}
