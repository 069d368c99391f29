package io.helios.controlplane.endpoint;

import io.helios.controlplane.HeliosProperties;
import io.helios.controlplane.web.ApiException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

/**
 * Opens short-lived checking connections to endpoints with the bounded
 * {@code helios.endpoints.check-timeout} (connect, login and socket), honouring driver options
 * such as {@code sslmode} in the URL. Error messages are scrubbed of the password.
 */
@Component
public class ConnectionProbe {

    private static final Logger log = LoggerFactory.getLogger(ConnectionProbe.class);

    private final int timeoutSeconds;

    public ConnectionProbe(HeliosProperties properties) {
        this.timeoutSeconds = (int) Math.max(1, properties.endpoints().checkTimeout().toSeconds());
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
            return DriverManager.getConnection(jdbcUrl, p);
        } catch (SQLException e) {
            String cause = scrub(e.getMessage(), password);
            log.debug("endpoint {} as {} unreachable: {}", jdbcUrl, user, cause);
            throw ApiException.unreachable("cannot connect to " + jdbcUrl + " as " + user + ": " + cause);
        }
    }

    /** Connects and runs {@code SELECT 1}; throws a 422 problem when that fails. */
    public void check(String jdbcUrl, String user, String password) {
        try (Connection c = open(jdbcUrl, user, password); Statement s = c.createStatement()) {
            s.execute("SELECT 1");
        } catch (SQLException e) {
            throw ApiException.unreachable("endpoint " + jdbcUrl + " does not answer SELECT 1: "
                    + scrub(e.getMessage(), password));
        }
    }

    static String scrub(String message, String password) {
        if (message == null) {
            return "no detail";
        }
        return password == null || password.isEmpty() ? message : message.replace(password, "******");
    }
}
