package io.helios.failover.endpoint;

import io.helios.core.lease.EndpointSpec;
import io.helios.core.secret.SecretBox;
import io.helios.failover.FailoverProperties;
import io.helios.failover.controlplane.ControlPlaneClient;
import io.helios.postgres.JdbcUrls;
import org.springframework.stereotype.Component;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Opens connections to endpoints with the failover service's bounded timeouts: the connection
 * details come from the control plane ({@code GET /api/v1/endpoints/{id}/connection}, cached for
 * a minute: an endpoint that is down must still be probed and fenced without the control plane's
 * help every second), the password is opened with the shared keyring (context
 * {@code endpoint:<id>}) and never kept outside the driver's properties nor logged. Thread-safe.
 */
@Component
public class EndpointConnections {

    private static final Duration CACHE = Duration.ofMinutes(1);

    private final ControlPlaneClient controlPlane;
    private final SecretBox secrets;
    private final FailoverProperties.Probe probe;
    private final Clock clock;
    private final ConcurrentHashMap<UUID, Cached> specs = new ConcurrentHashMap<>();

    public EndpointConnections(ControlPlaneClient controlPlane, SecretBox secrets, FailoverProperties properties,
                               Clock clock) {
        this.controlPlane = controlPlane;
        this.secrets = secrets;
        this.probe = properties.probe();
        this.clock = clock;
    }

    /** A connection whose connect and every statement are bounded by the probe timeouts. */
    public Connection open(UUID endpointId) throws SQLException {
        EndpointSpec spec = spec(endpointId);
        JdbcUrls.requireAllowed(spec.jdbcUrl());
        Properties p = new Properties();
        p.setProperty("user", spec.username());
        if (spec.sealedPassword() != null) {
            p.setProperty("password", secrets.open(Base64.getDecoder().decode(spec.sealedPassword()), "endpoint:" + endpointId));
        }
        long connectSeconds = Math.max(1, probe.connectTimeout().toSeconds());
        p.setProperty("connectTimeout", String.valueOf(connectSeconds));
        p.setProperty("loginTimeout", String.valueOf(connectSeconds));
        p.setProperty("socketTimeout", String.valueOf(Math.max(2, probe.statementTimeout().toSeconds() * 3)));
        p.setProperty("ApplicationName", "helios-failover");
        p.setProperty("tcpKeepAlive", "true");
        Connection c = DriverManager.getConnection(rewrite(spec.jdbcUrl()), p);
        try (Statement s = c.createStatement()) {
            s.execute("SET statement_timeout = " + probe.statementTimeout().toMillis());
        } catch (SQLException e) {
            c.close();
            throw e;
        }
        return c;
    }

    /** The URL with this observer's address override applied (the first {@code //host:port} that matches). */
    String rewrite(String jdbcUrl) {
        for (String pair : probe.addressOverrides()) {
            int eq = pair.indexOf('=');
            if (eq > 0 && jdbcUrl.contains("//" + pair.substring(0, eq).trim() + "/")) {
                return jdbcUrl.replace("//" + pair.substring(0, eq).trim() + "/", "//" + pair.substring(eq + 1).trim() + "/");
            }
        }
        return jdbcUrl;
    }

    /** The endpoint's region and name as the control plane knows them. */
    public EndpointSpec spec(UUID endpointId) {
        Instant now = clock.instant();
        Cached c = specs.get(endpointId);
        if (c != null && c.until().isAfter(now)) {
            return c.spec();
        }
        try {
            EndpointSpec fresh = controlPlane.connection(endpointId);
            specs.put(endpointId, new Cached(fresh, now.plus(CACHE)));
            return fresh;
        } catch (RuntimeException e) {
            if (c != null) {
                return c.spec(); // an old spec beats none while the control plane is away
            }
            throw e;
        }
    }

    private record Cached(EndpointSpec spec, Instant until) {
    }

}
