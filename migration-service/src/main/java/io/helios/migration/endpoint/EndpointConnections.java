package io.helios.migration.endpoint;

import io.helios.core.lease.EndpointSpec;
import io.helios.core.secret.SecretBox;
import io.helios.migration.MigrationProperties;
import io.helios.migration.controlplane.ControlPlaneClient;
import io.helios.postgres.PgEndpoint;
import io.helios.postgres.SessionStatements;
import org.springframework.stereotype.Component;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Base64;
import java.util.UUID;

/**
 * Opens connections to tenant endpoints the way workers do: the connection details from the
 * control plane ({@code GET /api/v1/endpoints/{id}/connection}), the password opened with the
 * shared keyring (context {@code endpoint:<id>}), a bounded connect, and a statement timeout on
 * every session. The password is never kept or logged. Thread-safe.
 */
@Component
public class EndpointConnections {

    private final ControlPlaneClient controlPlane;
    private final SecretBox secrets;
    private final long statementTimeoutMs;

    public EndpointConnections(ControlPlaneClient controlPlane, SecretBox secrets, MigrationProperties properties) {
        this.controlPlane = controlPlane;
        this.secrets = secrets;
        this.statementTimeoutMs = properties.migrations().statementTimeout().toMillis();
    }

    /** A connection in autocommit, {@code statement_timeout} set, application name {@code helios-migration}. */
    public Connection open(UUID endpointId) throws SQLException {
        EndpointSpec spec = controlPlane.connection(endpointId);
        String password = spec.sealedPassword() == null ? null
                : secrets.open(Base64.getDecoder().decode(spec.sealedPassword()), "endpoint:" + endpointId);
        Connection c = new PgEndpoint(spec.jdbcUrl(), spec.username(), password).open();
        try {
            SessionStatements.applicationName(c, "helios-migration");
            try (Statement s = c.createStatement()) {
                s.execute("SET statement_timeout = " + statementTimeoutMs);
            }
            return c;
        } catch (SQLException | RuntimeException e) {
            c.close();
            throw e;
        }
    }
}
