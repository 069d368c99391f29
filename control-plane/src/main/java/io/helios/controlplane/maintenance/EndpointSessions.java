package io.helios.controlplane.maintenance;

import io.helios.controlplane.HeliosProperties;
import io.helios.controlplane.endpoint.ConnectionProbe;
import io.helios.controlplane.endpoint.EndpointService;
import io.helios.service.web.ApiException;
import io.helios.postgres.PgEndpoint;
import org.springframework.stereotype.Component;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/**
 * Opens the connections maintenance uses on endpoints: connect and socket timeouts from
 * {@code helios.endpoints.check-timeout}, and a {@code statement_timeout} and {@code lock_timeout}
 * of {@code helios.wal-guard.statement-timeout}, so that no pass can hang on one endpoint.
 * Error messages never carry the password. Stateless.
 */
@Component
public class EndpointSessions {

    private final EndpointService endpoints;
    private final ConnectionProbe probe;
    private final long statementTimeoutMs;

    public EndpointSessions(EndpointService endpoints, ConnectionProbe probe, HeliosProperties properties) {
        this.endpoints = endpoints;
        this.probe = probe;
        this.statementTimeoutMs = properties.walGuard().statementTimeout().toMillis();
    }

    /** A bounded connection to the endpoint, in auto-commit mode. */
    public Connection open(UUID endpointId) throws SQLException {
        PgEndpoint pg = endpoints.connectionOf(endpointId);
        Connection c;
        try {
            c = probe.open(pg.jdbcUrl(), pg.user(), pg.password());
        } catch (ApiException e) {
            throw new SQLException(e.getMessage(), "08001", e);
        }
        try (Statement s = c.createStatement()) {
            s.execute("SET statement_timeout = " + statementTimeoutMs);
            s.execute("SET lock_timeout = " + statementTimeoutMs);
            s.execute("SET application_name = 'helios-maintenance'");
        } catch (SQLException e) {
            c.close();
            throw e;
        }
        return c;
    }
}
