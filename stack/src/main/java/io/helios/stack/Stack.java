package io.helios.stack;

import io.helios.controlplane.ControlPlaneApplication;
import io.helios.failover.FailoverApplication;
import io.helios.gateway.GatewayApplication;
import io.helios.migration.MigrationServiceApplication;
import io.helios.security.Role;
import io.helios.security.token.PemKeys;
import io.helios.security.token.TokenIssuer;
import io.helios.worker.WorkerApplication;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The control plane and any number of workers in this JVM, each its own Spring context with
 * its own configuration name. Used by the local run, the end-to-end tests and the benchmarks.
 * Security is on as in production: the services verify RS256 tokens of the stack's
 * {@link TokenIssuer} (its public key is handed to them), and each worker authenticates with its
 * own token, minted for its id ({@link #workerToken(String)}). Not thread-safe; {@link #close()} stops workers first, then the
 * control plane.
 */
public final class Stack implements AutoCloseable {

    /** A fixed development key: the local stack only. Production supplies its own keyring. */
    public static final String LOCAL_KEY = Base64.getEncoder().encodeToString(
            "helios-local-development-key-32b".getBytes(java.nio.charset.StandardCharsets.US_ASCII));

    private final ConfigurableApplicationContext controlPlane;
    private final List<ConfigurableApplicationContext> workers = new CopyOnWriteArrayList<>();
    private final List<ConfigurableApplicationContext> failovers = new CopyOnWriteArrayList<>();
    private volatile ConfigurableApplicationContext gateway;
    private volatile ConfigurableApplicationContext migrationService;
    private final Options options;
    private final TokenIssuer issuer;

    /**
     * @param controlDbUrl      JDBC URL of the control plane's own database
     * @param controlPlanePort  0 for any free port
     * @param brokerEnabled     whether an AMQP broker answers on 127.0.0.1:5672
     * @param leaseTtlSeconds   how long a silent worker keeps its leases
     */
    public record Options(String controlDbUrl, String dbUser, String dbPassword, int controlPlanePort,
                          boolean brokerEnabled, int leaseTtlSeconds, Map<String, String> extra) {
    }

    private Stack(Options options, ConfigurableApplicationContext controlPlane, TokenIssuer issuer) {
        this.options = options;
        this.controlPlane = controlPlane;
        this.issuer = issuer;
    }

    /** Starts the control plane with a signing key made for this run only. */
    public static Stack start(Options o) {
        return start(o, new TokenIssuer(PemKeys.generateRsa()));
    }

    /** Starts the control plane trusting the tokens {@code issuer} signs. */
    public static Stack start(Options o, TokenIssuer issuer) {
        // command-line arguments, not builder defaults: each service's own yml would override defaults
        List<String> props = new ArrayList<>(List.of(
                "server.port=" + o.controlPlanePort(),
                "spring.datasource.url=" + o.controlDbUrl(),
                "spring.datasource.username=" + o.dbUser(),
                "spring.datasource.password=" + o.dbPassword(),
                "helios.secrets.active-key=local",
                "helios.secrets.keys.local=" + LOCAL_KEY,
                "helios.broker.enabled=" + o.brokerEnabled(),
                "management.health.rabbit.enabled=" + o.brokerEnabled(),
                "helios.leases.ttl=" + o.leaseTtlSeconds() + "s",
                "helios.leases.heartbeat-interval=1s",
                "helios.security.jwt.public-key=" + issuer.publicKeyPem(),
                // the issuer's tokens name this audience (TokenIssuer.DEFAULT_AUDIENCE); the services require it
                "helios.security.jwt.audience=" + issuer.audience(),
                // the gateway's classes share this classpath: keep Spring Cloud Gateway out of the servlet services
                "spring.cloud.gateway.server.webflux.enabled=false"));
        o.extra().forEach((k, v) -> props.add(k + "=" + v));
        ConfigurableApplicationContext cp = ControlPlaneApplication.builder()
                .run(props.stream().map(p -> "--" + p).toArray(String[]::new));
        return new Stack(o, cp, issuer);
    }

    /**
     * Starts the gateway in front of the control plane (and the migration service, when started first), trusting
     * the same tokens; port 0 picks a
     * free one; {@code extra} are more {@code --key=value} arguments.
     */
    public ConfigurableApplicationContext startGateway(int port, String... extra) {
        List<String> args = new ArrayList<>(List.of(
                "--server.port=" + port,
                "--helios.services.control-plane=" + controlPlaneUrl(),
                "--helios.security.jwt.public-key=" + issuer.publicKeyPem(),
                "--helios.security.jwt.audience=" + issuer.audience()));
        if (!failovers.isEmpty()) {
            args.add("--helios.services.failover-service=http://127.0.0.1:" + port(failovers.get(0)));
        }
        if (migrationService != null) {
            args.add("--helios.services.migration-service=" + migrationServiceUrl());
        }
        args.addAll(List.of(extra));
        gateway = GatewayApplication.builder().run(args.toArray(String[]::new));
        return gateway;
    }

    /** The gateway's base URL; the gateway must have been started. */
    public String gatewayUrl() {
        if (gateway == null) {
            throw new IllegalStateException("the gateway was not started");
        }
        return "http://127.0.0.1:" + port(gateway);
    }

    /** Stops the gateway (the control plane keeps running). */
    public void stopGateway() {
        if (gateway != null) {
            gateway.close();
            gateway = null;
        }
    }

    /** The issuer whose tokens the services trust. */
    public TokenIssuer issuer() {
        return issuer;
    }

    /** A token of {@code role} for every tenant, valid for a day. */
    public String token(Role role) {
        return issuer.mint("local-" + role.claimValue(), List.of(role), null, Duration.ofDays(1));
    }

    /** The credential of worker {@code id}: role worker, subject {@code worker:<id>}, valid for 30 days. */
    public String workerToken(String id) {
        return issuer.mintWorker(id, Duration.ofDays(30));
    }

    public String controlPlaneUrl() {
        return "http://127.0.0.1:" + ((WebServerApplicationContext) controlPlane).getWebServer().getPort();
    }

    /**
     * Starts the migration service on its own database ({@code dbUrl}, created by the caller), calling the
     * control plane with a service token (roles service and admin); port 0 picks a free one.
     */
    public ConfigurableApplicationContext startMigrationService(int port, String dbUrl, String... extra) {
        List<String> args = new ArrayList<>(List.of(
                "--server.port=" + port,
                "--spring.datasource.url=" + dbUrl,
                "--spring.datasource.username=" + options.dbUser(),
                "--spring.datasource.password=" + options.dbPassword(),
                "--helios.control-plane.url=" + controlPlaneUrl(),
                "--helios.control-plane.token=" + issuer.mint("service:migration-service",
                        List.of(Role.SERVICE, Role.ADMIN), null, Duration.ofDays(30)),
                "--helios.security.jwt.public-key=" + issuer.publicKeyPem(),
                "--helios.security.jwt.audience=" + issuer.audience(),
                "--helios.secrets.active-key=local",
                "--helios.secrets.keys.local=" + LOCAL_KEY,
                "--helios.broker.enabled=" + options.brokerEnabled(),
                "--spring.cloud.gateway.server.webflux.enabled=false"));
        args.addAll(List.of(extra));
        migrationService = MigrationServiceApplication.builder().run(args.toArray(String[]::new));
        return migrationService;
    }

    /** The migration service's base URL; it must have been started. */
    public String migrationServiceUrl() {
        return "http://127.0.0.1:" + port(migrationService);
    }

    /**
     * Starts a worker with the given id and its own token ({@link #workerToken}) unless {@code extra} gives it
     * another credential ({@code --helios.worker.oauth2.*}, {@code --helios.worker.token-file}); port 0 picks a
     * free one; {@code extra} are more {@code --key=value} arguments.
     */
    public ConfigurableApplicationContext startWorker(String id, int port, String... extra) {
        boolean ownCredential = java.util.Arrays.stream(extra).anyMatch(a -> a.startsWith("--helios.worker.token")
                || a.startsWith("--helios.worker.oauth2."));
        List<String> args = new ArrayList<>(List.of(
                "--server.port=" + port,
                "--helios.worker.id=" + id,
                "--helios.worker.control-plane-url=" + controlPlaneUrl(),
                "--helios.worker.heartbeat-interval=1s",
                "--helios.worker.lease-ttl=" + options.leaseTtlSeconds() + "s",
                "--spring.cloud.gateway.server.webflux.enabled=false",
                "--helios.secrets.active-key=local",
                "--helios.secrets.keys.local=" + LOCAL_KEY,
                "--helios.broker.enabled=" + options.brokerEnabled(),
                "--management.health.rabbit.enabled=" + options.brokerEnabled()));
        if (!ownCredential) {
            args.add("--helios.worker.token=" + workerToken(id));
        }
        args.addAll(List.of(extra));
        ConfigurableApplicationContext w = WorkerApplication.builder().run(args.toArray(String[]::new));
        workers.add(w);
        return w;
    }

    /**
     * Starts a failover service (one observer) on its own database {@code dbUrl} (port 0 picks a free
     * one), calling this stack's control plane with a service token; {@code extra} are more
     * {@code --key=value} arguments. Closed with the stack.
     */
    public ConfigurableApplicationContext startFailoverService(String dbUrl, String observerId, int port, String... extra) {
        List<String> args = new ArrayList<>(List.of(
                "--server.port=" + port,
                "--spring.datasource.url=" + dbUrl,
                "--spring.datasource.username=" + options.dbUser(),
                "--spring.datasource.password=" + options.dbPassword(),
                "--helios.observer-id=" + observerId,
                "--helios.control-plane.url=" + controlPlaneUrl(),
                "--helios.control-plane.token=" + issuer.mint("service:failover-service",
                        List.of(Role.SERVICE, Role.ADMIN), null, Duration.ofDays(1)),
                "--helios.secrets.active-key=local",
                "--helios.secrets.keys.local=" + LOCAL_KEY,
                "--helios.security.jwt.public-key=" + issuer.publicKeyPem(),
                "--helios.security.jwt.audience=" + issuer.audience(),
                "--spring.cloud.gateway.server.webflux.enabled=false",
                "--helios.broker.enabled=" + options.brokerEnabled()));
        args.addAll(List.of(extra));
        ConfigurableApplicationContext f = FailoverApplication.builder().run(args.toArray(String[]::new));
        failovers.add(f);
        return f;
    }

    public static int port(ConfigurableApplicationContext context) {
        return ((WebServerApplicationContext) context).getWebServer().getPort();
    }

    /** Stops one worker gracefully: it stops its runners, then releases its leases, which other workers take at once. */
    public void stopWorker(ConfigurableApplicationContext worker) {
        workers.remove(worker);
        worker.close();
    }

    public HeliosApi api() {
        return new HeliosApi(controlPlaneUrl(), token(Role.ADMIN));
    }

    @Override
    public void close() {
        stopGateway();
        failovers.forEach(ConfigurableApplicationContext::close);
        failovers.clear();
        if (migrationService != null) {
            migrationService.close();
        }
        workers.forEach(ConfigurableApplicationContext::close);
        workers.clear();
        controlPlane.close();
    }
}
