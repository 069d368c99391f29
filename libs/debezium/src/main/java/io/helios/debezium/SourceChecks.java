package io.helios.debezium;

import io.helios.core.capture.CaptureException;
import io.helios.core.change.Lsn;
import io.helios.postgres.PgEndpoint;
import io.helios.postgres.slot.Publications;
import io.helios.postgres.slot.ReplicationSlots;
import io.helios.postgres.slot.SlotState;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Reads on the source what the engine must know before it lets Debezium connect (Debezium
 * would create a missing slot, which the engine must never do), and the server's WAL
 * position for lag; sorts failures into retriable and permanent ones. Stateless.
 */
final class SourceChecks {

    private SourceChecks() {
    }

    /**
     * The slot's {@code confirmed_flush_lsn}, after checking that the slot and the publication
     * exist and that the slot is a {@code pgoutput} slot of this database.
     *
     * @throws CaptureException not retriable when either is missing, retriable when the source
     *                          cannot be reached
     */
    static Lsn slotConfirmedFlush(PgEndpoint source, String slot, String publication) {
        try (Connection c = source.open()) {
            if (!Publications.exists(c, publication)) {
                throw new CaptureException("publication " + publication + " does not exist", null, false);
            }
            SlotState state = ReplicationSlots.find(c, slot).orElseThrow(() -> new CaptureException(
                    "replication slot " + slot + " does not exist in " + source, null, false));
            if (!"pgoutput".equals(state.plugin())) {
                throw new CaptureException("replication slot " + slot + " uses plugin " + state.plugin()
                        + ", not pgoutput", null, false);
            }
            return state.confirmedFlush();
        } catch (SQLException e) {
            throw classify("cannot check slot " + slot + " on " + source, e);
        }
    }

    static Lsn currentWal(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_current_wal_lsn()");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return Lsn.parse(rs.getString(1));
        }
    }

    static CaptureException classify(String what, Throwable failure) {
        if (failure instanceof CaptureException ce) {
            return ce;
        }
        return new CaptureException(what + ": " + failure.getMessage(), failure, retriable(failure));
    }

    /**
     * Connection loss, server shutdown, a slot still held by an exiting walsender and
     * resource shortages are retriable; a missing slot or publication, authentication,
     * privileges and anything unrecognised that carries an SQL state are not.
     */
    static boolean retriable(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && sql.getSQLState() != null) {
                String s = sql.getSQLState();
                return s.startsWith("08") || s.startsWith("53") || s.startsWith("57") || s.startsWith("40")
                        || s.equals("55006");
            }
            if (t instanceof IOException) {
                return true;
            }
        }
        return true;
    }
}
