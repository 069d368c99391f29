package io.helios.controlplane.endpoint;

import io.helios.postgres.JdbcUrls;

import javax.net.ssl.SSLException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.sql.SQLException;
import java.util.Map;

/**
 * Why a connection to an endpoint failed, told to API callers from structure only: the SQLState
 * and the kind of the underlying network or TLS failure select a fixed text, and the SQLState is
 * appended. Nothing of the server's or the driver's message text is echoed, so no secret the
 * message might carry (a password a server echoes, a URL parameter) can leak, and nothing has to
 * be masked inside it (masking the password as a substring garbled unrelated words: with password
 * {@code p}, "setting up" became "setting u******"). Pure.
 */
final class ConnectionFailure {

    private static final Map<String, String> BY_STATE = Map.ofEntries(
            Map.entry("28P01", "password authentication failed"),
            Map.entry("28000", "the server refused the login (no pg_hba.conf entry for this host, user and database,"
                    + " or the authentication method is not supported)"),
            Map.entry("3D000", "the database does not exist"),
            Map.entry("42501", "permission denied"),
            Map.entry("53300", "the server has too many connections"),
            Map.entry("57P03", "the server is not accepting connections (starting up, shutting down or in recovery)"),
            Map.entry("08004", "the server rejected the connection (for example it does not support SSL while sslmode"
                    + " requires it)"),
            Map.entry("08P01", "protocol violation (is this a PostgreSQL server?)"),
            Map.entry("57014", "the statement was cancelled (timeout)"));

    private ConnectionFailure() {
    }

    /** A fixed text for the failure, followed by its SQLState. */
    static String describe(SQLException e) {
        String state = e.getSQLState() == null ? "none" : e.getSQLState();
        return reason(e, state) + " (SQLSTATE " + state + ")";
    }

    private static String reason(SQLException e, String state) {
        if (JdbcUrls.REFUSED_STATE.equals(state) && e.getClass() == SQLException.class) {
            return e.getMessage();  // JdbcUrls' own refusal: parameter names only, no values
        }
        for (Throwable t = e.getCause(); t != null && t != t.getCause(); t = t.getCause()) {
            if (t instanceof SSLException) {
                return "error while setting up the SSL connection (certificate, host name or protocol refused)";
            }
            if (t instanceof UnknownHostException) {
                return "the host name does not resolve";
            }
            if (t instanceof ConnectException || t instanceof NoRouteToHostException) {
                return "the connection was refused or the host is unreachable";
            }
            if (t instanceof SocketTimeoutException) {
                return "no answer within the check timeout";
            }
        }
        String known = BY_STATE.get(state);
        if (known != null) {
            return known;
        }
        return state.startsWith("08") ? "the connection failed" : "the server refused the request";
    }
}
