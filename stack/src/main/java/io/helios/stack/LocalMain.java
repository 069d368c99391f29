package io.helios.stack;

import io.helios.security.Role;
import io.helios.security.token.LocalKeyStore;
import io.helios.security.token.TokenIssuer;
import io.helios.testsupport.Broker;
import io.helios.testsupport.EmbeddedCluster;
import io.helios.testsupport.PostgresCluster;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code ./helios local}: the whole product on embedded defaults, with nothing installed but a
 * JDK. Starts embedded PostgreSQL clusters for two regions and for the control plane, the
 * control plane, one worker and one failover-service observer (with the worker's own view of its
 * source, the two observers automatic failover needs), creates a demo tenant with data and a running replication
 * between the regions, and the gateway in front of them, then prints a status line every few
 * seconds until Ctrl-C, which stops everything. Security is on: the services trust the tokens of a
 * local RSA key pair kept under {@code .helios/local/keys} (made on first start), and an admin
 * token is printed; {@code ./helios token} mints more. Data lives under {@code .helios/local} and
 * is reused by the next start.
 */
public final class LocalMain {

    private static final Logger log = LoggerFactory.getLogger(LocalMain.class);
    private static final String TENANT = "acme";
    private static final Map<String, String> DURABLE = Map.of("fsync", "on");

    private LocalMain() {
    }

    public static void main(String[] args) throws Exception {
        Path home = Path.of(System.getProperty("helios.home", ".helios/local")).toAbsolutePath();
        Files.createDirectories(home);
        PostgresCluster control = cluster(home.resolve("control"), 55430);
        PostgresCluster regionA = cluster(home.resolve("region-a"), 55431);
        PostgresCluster regionB = cluster(home.resolve("region-b"), 55432);
        createIfMissing(control, "helios");
        createIfMissing(control, "helios_failover");
        createIfMissing(control, "helios_migration");
        createIfMissing(regionA, "app");
        createIfMissing(regionB, "app");
        seedDemo(regionA);
        // the application's schema is deployed in both regions: region-b can become acme's primary (migration)
        seedSchema(regionB);
        boolean broker = Broker.answers();
        TokenIssuer issuer = new TokenIssuer(LocalKeyStore.loadOrCreate(TokenMain.keyDirectory(home)));
        Stack stack = Stack.start(new Stack.Options(control.jdbcUrl("helios"), control.user(), control.password(),
                8081, broker, 15, Map.of()), issuer);
        // a short idle poll: the target reaches a cutover's final LSN sooner (the migration's write pause)
        stack.startWorker("local-worker-1", 8082, "--helios.apply.poll-timeout=20ms");
        stack.startMigrationService(free(8083) ? 8083 : 0, control.jdbcUrl("helios_migration"));
        stack.startFailoverService(control.jdbcUrl("helios_failover"), "local-observer-1", free(8084) ? 8084 : 0);
        stack.startGateway(free(8080) ? 8080 : 0);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("\nstopping Helios local stack ...");
            stack.close();
            regionB.close();
            regionA.close();
            control.close();
        }, "helios-local-shutdown"));
        String replicationId = ensureDemoReplication(stack.api(), regionA, regionB);
        printBanner(stack, regionA, regionB, broker, replicationId);
        while (true) {
            Thread.sleep(5_000);
            Map<String, Object> s = stack.api().status(replicationId);
            System.out.printf(java.util.Locale.ROOT,
                    "[status] tenant=%s state=%s phase=%s lag p50=%.1fms p99=%.1fms rows applied=%s rows/s=%.0f lsn=%s%s%n",
                    TENANT, s.get("state"), s.get("phase"), number(s.get("lagP50Ms")), number(s.get("lagP99Ms")),
                    s.get("rowsApplied"), number(s.get("rowsPerSecond")), s.get("lastAppliedLsn"),
                    s.get("lastError") == null ? "" : " error=" + s.get("lastError"));
        }
    }

    private static double number(Object o) {
        return o instanceof Number n ? n.doubleValue() : 0;
    }

    private static PostgresCluster cluster(Path dir, int preferredPort) {
        int port = free(preferredPort) ? preferredPort : 0;
        try {
            return EmbeddedCluster.start(dir, port, false, DURABLE);
        } catch (RuntimeException e) {
            log.warn("could not reuse {} ({}); recreating it", dir, e.getMessage());
            return EmbeddedCluster.start(dir, port, true, DURABLE);
        }
    }

    private static boolean free(int port) {
        try (ServerSocket s = new ServerSocket(port)) {
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    private static void createIfMissing(PostgresCluster c, String db) throws Exception {
        try (Connection conn = c.connect("postgres"); Statement s = conn.createStatement()) {
            var rs = s.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + db + "'");
            if (!rs.next()) {
                s.execute("CREATE DATABASE " + db);
            }
        }
    }

    private static void seedDemo(PostgresCluster regionA) throws Exception {
        seedSchema(regionA);
        try (Connection c = regionA.connect("app"); Statement s = c.createStatement()) {
            s.execute("INSERT INTO acme.customers (id, name, email) SELECT g, 'customer ' || g, 'c' || g || '@acme.test'"
                    + " FROM generate_series(1, 100) g ON CONFLICT DO NOTHING");
            s.execute("INSERT INTO acme.orders (customer_id, amount, status, payload) SELECT 1 + g % 100, g * 1.25,"
                    + " 'NEW', jsonb_build_object('n', g) FROM generate_series(1, 1000) g"
                    + " WHERE NOT EXISTS (SELECT 1 FROM acme.orders)");
        }
    }

    private static void seedSchema(PostgresCluster region) throws Exception {
        try (Connection c = region.connect("app"); Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA IF NOT EXISTS acme");
            s.execute("CREATE TABLE IF NOT EXISTS acme.customers (id bigint PRIMARY KEY, name text NOT NULL,"
                    + " email text, created_at timestamptz NOT NULL DEFAULT now())");
            s.execute("CREATE TABLE IF NOT EXISTS acme.orders (id bigserial PRIMARY KEY, customer_id bigint NOT NULL,"
                    + " amount numeric(12,2) NOT NULL, status text NOT NULL, payload jsonb,"
                    + " created_at timestamptz NOT NULL DEFAULT now())");
        }
    }

    private static String ensureDemoReplication(HeliosApi api, PostgresCluster a, PostgresCluster b) {
        String source = findByName(api.list("/endpoints"), "region-a-app").orElseGet(() ->
                api.createEndpoint("region-a-app", "region-a", a.jdbcUrl("app"), a.user(), a.password()));
        String target = findByName(api.list("/endpoints"), "region-b-app").orElseGet(() ->
                api.createEndpoint("region-b-app", "region-b", b.jdbcUrl("app"), b.user(), b.password()));
        if (api.list("/tenants").stream().noneMatch(t -> TENANT.equals(t.get("id")))) {
            api.createTenant(TENANT, "Acme Corp (demo)");
        }
        Optional<Map<String, Object>> existing = api.list("/replications").stream()
                .filter(r -> TENANT.equals(r.get("tenantId"))).findFirst();
        if (existing.isPresent()) {
            String id = (String) existing.get().get("id");
            if (List.of("CREATED", "STOPPED", "FAILED").contains(existing.get().get("state"))) {
                api.action(id, "start");
            }
            return id;
        }
        String id = api.createReplication(Map.of("tenantId", TENANT, "sourceEndpointId", source,
                "targetEndpointId", target, "tenancyModel", "SCHEMA", "sourceSchema", "acme"));
        api.action(id, "start");
        return id;
    }

    private static Optional<String> findByName(List<Map<String, Object>> items, String name) {
        return items.stream().filter(i -> name.equals(i.get("name"))).map(i -> (String) i.get("id")).findFirst();
    }

    private static void printBanner(Stack stack, PostgresCluster a, PostgresCluster b, boolean broker, String id) {
        System.out.println();
        System.out.println("Helios local stack is running (Ctrl-C stops everything)");
        System.out.println("  gateway (the one entry):    " + stack.gatewayUrl() + "/api/v1/...");
        System.out.println("  Swagger UI (every service): " + stack.gatewayUrl() + "/swagger-ui.html"
                + "   (Authorize with the token below)");
        System.out.println("  admin token (24 h; more with ./helios token --role admin|operator|viewer [--tenants a,b] [--ttl 1h]):");
        System.out.println("    " + stack.token(Role.ADMIN));
        System.out.println("  e.g. curl -H \"Authorization: Bearer $TOKEN\" " + stack.gatewayUrl() + "/api/v1/replications");
        System.out.println("  source (region-a), write here:   psql \"postgresql://" + a.user() + ":" + a.password()
                + "@127.0.0.1:" + a.port() + "/app\"   e.g. INSERT INTO acme.orders (customer_id, amount, status) VALUES (1, 9.99, 'NEW');");
        System.out.println("  replica (region-b), read here:   psql \"postgresql://" + b.user() + ":" + b.password()
                + "@127.0.0.1:" + b.port() + "/app\"   e.g. SELECT count(*) FROM acme.orders;");
        System.out.println("  migration service: " + stack.gatewayUrl() + "/api/v1/migrations (move acme to region-b and"
                + " back: docs/operations.md, \"Moving a tenant\")");
        System.out.println("  replication " + id + " of tenant " + TENANT + " (SCHEMA acme -> acme); broker: "
                + (broker ? "RabbitMQ on 127.0.0.1:5672" : "none (heartbeats only)"));
        System.out.println();
    }
}
