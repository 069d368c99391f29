package io.helios.controlplane.endpoint;

import io.helios.controlplane.HeliosProperties;
import io.helios.service.web.ApiException;
import io.helios.postgres.JdbcUrls;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

/**
 * Opens short-lived checking connections to endpoints with the bounded
 * {@code helios.endpoints.check-timeout} (connect, login and socket), honouring driver options
 * such as {@code sslmode} in the URL. Failures are told by structure ({@link ConnectionFailure}:
 * address, user, a fixed reason and the SQLState), never with the server's or driver's text.
 */
@Component
public class ConnectionProbe {

    private static final Logger log = LoggerFactory.getLogger(ConnectionProbe.class);

    private final int timeoutSeconds;

    @Autowired
    public ConnectionProbe(HeliosProperties properties) {
        this((int) Math.max(1, properties.endpoints().checkTimeout().toSeconds()));
    }

    /** For tests: a probe with the given timeout in seconds. */
    ConnectionProbe(int timeoutSeconds) {
        this.timeoutSeconds = timeoutSeconds;
    }

    /** Opens a connection or throws a 422 problem naming the endpoint and the cause. */
    public Connection open(String jdbcUrl, String user, String password) {
        Properties p = new Properties();
        p.setProperty("user", user);
        if (password != null) {
            p.setProperty("password", password);
        }
        p.setProperty("connectTimeout", String.valueOf(timeoutSeconds));
        p.setProperty("loginTimeout", String.valueOf(timeoutSeconds));
        p.setProperty("socketTimeout", String.valueOf(timeoutSeconds * 2));
        p.setProperty("ApplicationName", "helios-control-plane");
        try {
            JdbcUrls.requireAllowed(jdbcUrl);
            return DriverManager.getConnection(jdbcUrl, p);
        } catch (SQLException e) {
            String cause = ConnectionFailure.describe(e);
            log.debug("endpoint {} as {} unreachable: {}", JdbcUrlPolicy.addressOf(jdbcUrl), user, cause);
            throw ApiException.unreachable("cannot connect to " + JdbcUrlPolicy.addressOf(jdbcUrl) + " as " + user
                    + ": " + cause);
        }
    }

    /** Connects and runs {@code SELECT 1}; throws a 422 problem when that fails. */
    public void check(String jdbcUrl, String user, String password) {
        try (Connection c = open(jdbcUrl, user, password); Statement s = c.createStatement()) {
            s.execute("SELECT 1");
        } catch (SQLException e) {
            throw ApiException.unreachable("endpoint " + JdbcUrlPolicy.addressOf(jdbcUrl) + " does not answer SELECT 1: "
                    + ConnectionFailure.describe(e));
        }
    }
}
