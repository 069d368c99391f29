package io.helios.postgres.error;

import io.helios.core.capture.CaptureException;

import java.io.IOException;
import java.sql.SQLException;
import java.util.Set;

/**
 * The one place that decides whether a failure against PostgreSQL is worth retrying: whether
 * reconnecting (and, for a replication, resuming from the target's checkpoint) may cure it.
 * Used by the worker's retry policy and by both capture engines when they wrap a failure in a
 * {@link CaptureException}. Stateless and thread-safe.
 *
 * <p>The cause chain is walked outermost first:
 * <ul>
 *   <li>a {@link CaptureException} carries its engine's verdict, which stands (the engine saw
 *       more than the exception shows, e.g. a transaction too large to ever pass);</li>
 *   <li>an {@link SQLException} whose SQLSTATE is one of the states below, or an
 *       {@link IOException} anywhere in the chain (the socket broke), is retriable;</li>
 *   <li>otherwise, a chain that carried an SQLSTATE is {@link Verdict#PERMANENT} (the server
 *       said what is wrong and will say it again: missing slot or publication, authentication,
 *       privileges, syntax, constraint violations), and one without any is
 *       {@link Verdict#UNKNOWN}, which {@link #retriable(Throwable)} treats as permanent.</li>
 * </ul>
 *
 * <p>The retriable SQLSTATEs, each on purpose:
 * <ul>
 *   <li>class {@code 08} (connection exception) except {@code 08P01}: the connection is gone or
 *       could not be made (network, server down); a new one may work. A protocol violation is a
 *       bug or a version mismatch that every new connection repeats.</li>
 *   <li>{@code 57P01} admin shutdown, {@code 57P02} crash shutdown, {@code 57P03} cannot connect
 *       now: the server is stopping, restarting after a crash or still starting (a failover or a
 *       restart); it takes connections again shortly. {@code 57P01} is also what a terminated
 *       walsender or backend reports.</li>
 *   <li>{@code 57P05} idle session timeout: the server closed a session that sat idle (a
 *       worker's source session may, between schema changes); a new session is fine.</li>
 *   <li>{@code 40001} serialization failure and {@code 40P01} deadlock: the target transaction
 *       lost a race with another writer and was rolled back whole; replaying it from the
 *       checkpoint is exactly what PostgreSQL asks the client to do.</li>
 *   <li>{@code 53300} too many connections (also: no free walsender): capacity frees up as other
 *       sessions end. The other insufficient-resources states (disk full, out of memory,
 *       configuration limit such as no free replication slot) need an operator, so the
 *       replication fails with the cause where it can be seen.</li>
 *   <li>{@code 55006} object in use: a replication slot still held by the walsender of a
 *       connection that just broke; that walsender exits within {@code wal_sender_timeout}. A
 *       slot held by another worker's stream is also reported this way; the worker's retry
 *       confirms its lease before each attempt, so a worker that lost the replication stops.</li>
 * </ul>
 * Deliberately not retriable: {@code 57014} query canceled (a statement timeout repeats) and the
 * rest of class {@code 40} ({@code 40002} is a constraint violation found at commit).
 */
public final class RetryClassifier {

    /** What a failure's cause chain says about retrying. */
    public enum Verdict {
        /** Reconnecting may cure it. */
        RETRIABLE,
        /** The chain carries an SQLSTATE (or an engine's verdict) that reconnecting will not change. */
        PERMANENT,
        /** Nothing in the chain says: no SQLSTATE, no I/O error, no engine verdict. */
        UNKNOWN
    }

    private static final Set<String> RETRIABLE_STATES = Set.of(
            "57P01", "57P02", "57P03", "57P05", "40001", "40P01", "53300", "55006");
    private static final String CONNECTION_EXCEPTION_CLASS = "08";
    private static final String PROTOCOL_VIOLATION = "08P01";

    private RetryClassifier() {
    }

    /** Whether reconnecting may cure the failure; {@link Verdict#UNKNOWN} counts as not. */
    public static boolean retriable(Throwable failure) {
        return classify(failure) == Verdict.RETRIABLE;
    }

    /** The verdict of the failure's cause chain (see the class comment for the order). */
    public static Verdict classify(Throwable failure) {
        boolean sawState = false;
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof CaptureException c) {
                return c.retriable() ? Verdict.RETRIABLE : Verdict.PERMANENT;
            }
            if (t instanceof IOException) {
                return Verdict.RETRIABLE;
            }
            if (t instanceof SQLException sql && sql.getSQLState() != null) {
                if (retriableState(sql.getSQLState())) {
                    return Verdict.RETRIABLE;
                }
                sawState = true;
            }
        }
        return sawState ? Verdict.PERMANENT : Verdict.UNKNOWN;
    }

    /** Whether an SQLSTATE on its own says that reconnecting may cure the failure. */
    public static boolean retriableState(String sqlState) {
        if (sqlState == null) {
            return false;
        }
        if (sqlState.startsWith(CONNECTION_EXCEPTION_CLASS)) {
            return !sqlState.equals(PROTOCOL_VIOLATION);
        }
        return RETRIABLE_STATES.contains(sqlState);
    }
}
