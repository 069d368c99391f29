package io.helios.postgres.copy;

import org.postgresql.PGConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Lets another thread stop an initial copy: {@link #cancel()} cancels the statement each of the
 * copy's sessions is running (the source's COPY OUT, the target's COPY IN or a statement
 * waiting for a lock) and closes the sessions, so a thread blocked in {@code readFromCopy},
 * {@code copyIn} or a lock wait returns with an exception and the target transaction is rolled
 * back by the server. Once cancelled it stays cancelled: a session registered later is cancelled
 * at once.
 *
 * <p>Thread-safe: the copy thread registers its sessions, any thread cancels.
 */
public final class CopyCancellation {

    private static final Logger log = LoggerFactory.getLogger(CopyCancellation.class);

    private final List<Connection> sessions = new ArrayList<>();
    private boolean cancelled;

    /** Registers a session of the copy; cancels it at once when the copy was cancelled before. */
    public void register(Connection c) throws SQLException {
        synchronized (this) {
            if (!cancelled) {
                sessions.add(c);
                return;
            }
        }
        stop(c);
        throw new SQLException("initial copy cancelled", "57014");
    }

    public synchronized boolean cancelled() {
        return cancelled;
    }

    /** Cancels the running statements and closes the sessions. Idempotent, never throws. */
    public void cancel() {
        List<Connection> toStop;
        synchronized (this) {
            if (cancelled) {
                return;
            }
            cancelled = true;
            toStop = List.copyOf(sessions);
        }
        toStop.forEach(CopyCancellation::stop);
    }

    private static void stop(Connection c) {
        try {
            c.unwrap(PGConnection.class).cancelQuery();
        } catch (SQLException | RuntimeException e) {
            log.debug("cancelling a copy statement: {}", e.getMessage());
        }
        try {
            // abort closes the socket at once, whatever the copy thread is blocked in
            c.abort(Runnable::run);
        } catch (SQLException | RuntimeException e) {
            log.debug("aborting a copy session: {}", e.getMessage());
        }
    }
}
