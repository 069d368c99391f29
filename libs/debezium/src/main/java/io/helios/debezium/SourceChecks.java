package io.helios.debezium;

import io.helios.core.capture.CaptureException;
import io.helios.core.change.Lsn;
import io.helios.postgres.PgEndpoint;
import io.helios.postgres.error.RetryClassifier;
import io.helios.postgres.slot.Publications;
import io.helios.postgres.slot.ReplicationSlots;
import io.helios.postgres.slot.SlotState;

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
     * The shared {@link RetryClassifier}'s verdict on SQL states and I/O errors; a failure that
     * carries neither is Debezium's own (a Kafka Connect error of the embedded engine) and is
     * retriable: the worker reconnects with capped backoff, confirming its lease each time.
     */
    static boolean retriable(Throwable failure) {
        return RetryClassifier.classify(failure) != RetryClassifier.Verdict.PERMANENT;
    }
}
