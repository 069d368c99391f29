package io.helios.postgres;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

/**
 * Connection details of one PostgreSQL database. {@code sslmode} and the other driver options of
 * {@link JdbcUrls#ALLOWED} ride in the JDBC URL; a URL with any other parameter or several hosts is
 * refused before connecting (the driver lets URL parameters override the properties set here). The
 * password is never printed.
 */
public record PgEndpoint(String jdbcUrl, String user, String password) {

    /** Connect timeout for every connection Helios opens, in seconds. */
    public static final int CONNECT_TIMEOUT_SECONDS = 10;

    public Connection open() throws SQLException {
        JdbcUrls.requireAllowed(jdbcUrl);
        return DriverManager.getConnection(jdbcUrl, properties(false));
    }

    /** A walsender connection in database mode, for slot creation and streaming. */
    public Connection openReplication() throws SQLException {
        JdbcUrls.requireAllowed(jdbcUrl);
        return DriverManager.getConnection(jdbcUrl, properties(true));
    }

    private Properties properties(boolean replication) {
        Properties p = new Properties();
        p.setProperty("user", user);
        if (password != null) {
            p.setProperty("password", password);
        }
        p.setProperty("connectTimeout", String.valueOf(CONNECT_TIMEOUT_SECONDS));
        p.setProperty("ApplicationName", replication ? "helios-capture" : "helios");
        p.setProperty("tcpKeepAlive", "true");
        if (replication) {
            p.setProperty("replication", "database");
            p.setProperty("assumeMinServerVersion", "10");
            p.setProperty("preferQueryMode", "simple");
            p.setProperty("socketFactory", ReplicationSocketFactory.class.getName());
        } else {
            p.setProperty("reWriteBatchedInserts", "true");
        }
        return p;
    }

    @Override
    public String toString() {
        return "PgEndpoint[" + jdbcUrl + " as " + user + "]";
    }
}
