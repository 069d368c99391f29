package io.helios.postgres;

import org.postgresql.Driver;
import org.postgresql.PGProperty;

import java.sql.SQLException;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;

/**
 * Endpoint JDBC URLs read the way the PostgreSQL driver reads them ({@link Driver#parseURL}):
 * the address, and which query parameters are off the allow-list. The driver lets URL parameters
 * override the connection properties Helios sets, so a parameter off the list would carry a secret
 * ({@code password}, {@code sslpassword}), load a class or file ({@code socketFactory},
 * {@code sslfactory}, {@code sslhostnameverifier}, {@code sslpasswordcallback},
 * {@code authenticationPluginClassName}, {@code sslcert}, {@code sslkey}, {@code loggerFile}, ...),
 * or change server settings under Helios' feet ({@code options}, {@code currentSchema},
 * {@code ApplicationName}, {@code preferQueryMode}, {@code replication}). {@code sslrootcert} is
 * allowed: a trust-anchor file, only read as certificates, which verifying a server needs. Pure.
 */
public final class JdbcUrls {

    /** The parameters an endpoint URL may carry (names are case-sensitive, as the driver's). */
    public static final Set<String> ALLOWED = Set.of(
            PGProperty.SSL_MODE.getName(),
            PGProperty.SSL_ROOT_CERT.getName(),
            PGProperty.CHANNEL_BINDING.getName(),
            PGProperty.GSS_ENC_MODE.getName(),
            PGProperty.CONNECT_TIMEOUT.getName(),
            PGProperty.LOGIN_TIMEOUT.getName(),
            PGProperty.SOCKET_TIMEOUT.getName(),
            PGProperty.TCP_KEEP_ALIVE.getName(),
            PGProperty.TARGET_SERVER_TYPE.getName());

    /** The SQLState of {@link #requireAllowed}'s refusals (invalid_parameter_value). */
    public static final String REFUSED_STATE = "22023";

    private static final Set<String> ADDRESS = Set.of(
            PGProperty.PG_HOST.getName(), PGProperty.PG_PORT.getName(), PGProperty.PG_DBNAME.getName());

    private JdbcUrls() {
    }

    /**
     * A parsed URL: host (lower case) and port as the driver sees them (a host list keeps its commas),
     * the database, and the parameter names off the list, sorted and made printable.
     */
    public record Parsed(String host, String port, String database, Set<String> refused) {

        public boolean singleHost() {
            return !host.contains(",") && !port.contains(",");
        }

        /** {@code host:port/database}: what messages name instead of the URL. */
        public String address() {
            return host + ":" + port + "/" + database;
        }
    }

    /** The URL as the driver reads it; empty when the driver would not accept it. */
    public static Optional<Parsed> parse(String jdbcUrl) {
        Properties p = jdbcUrl == null ? null : Driver.parseURL(jdbcUrl, null);
        if (p == null) {
            return Optional.empty();
        }
        Set<String> refused = new TreeSet<>();
        for (String name : p.stringPropertyNames()) {
            if (!ADDRESS.contains(name) && !ALLOWED.contains(name)) {
                refused.add(printable(name));
            }
        }
        return Optional.of(new Parsed(p.getProperty(PGProperty.PG_HOST.getName(), "").toLowerCase(Locale.ROOT),
                p.getProperty(PGProperty.PG_PORT.getName(), ""), p.getProperty(PGProperty.PG_DBNAME.getName(), ""),
                Set.copyOf(refused)));
    }

    /**
     * Refuses, before any connection, a URL Helios would not register today (one stored before the
     * allow-list existed): the driver would otherwise act on its parameters.
     */
    public static void requireAllowed(String jdbcUrl) throws SQLException {
        Parsed parsed = parse(jdbcUrl).orElseThrow(() -> new SQLException("not a valid PostgreSQL JDBC URL", REFUSED_STATE));
        if (!parsed.singleHost()) {
            throw new SQLException("the endpoint URL names more than one host", REFUSED_STATE);
        }
        if (!parsed.refused().isEmpty()) {
            throw new SQLException("the endpoint URL carries parameters Helios refuses: "
                    + String.join(", ", new TreeSet<>(parsed.refused())), REFUSED_STATE);
        }
    }

    private static String printable(String name) {
        String cleaned = name.replaceAll("[^A-Za-z0-9_.-]", "?");
        return cleaned.length() > 40 ? cleaned.substring(0, 40) + "..." : cleaned;
    }
}
