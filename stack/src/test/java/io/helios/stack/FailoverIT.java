package io.helios.stack;

import io.helios.security.Role;
import io.helios.testsupport.PostgresCluster;
import io.helios.testsupport.TestClusters;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.MediaType;
import org.springframework.web.client.HttpClientErrorException;
import org.springframework.web.client.RestClient;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import static io.helios.stack.Databases.exec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Tenant failover end to end, against real parts (the gateway routes to the failover service): a primary on a cluster of its own, its replica
 * on the shared cluster, the control plane and a worker, and two failover-service replicas
 * (observers) sharing one database; observer A reaches the primary through a TCP proxy the test
 * can cut. A partition that isolates only A causes no failover; with the primary's postmaster
 * SIGKILLed under a write load, a maintenance window suppresses the failover, and once it closes
 * the replica is promoted (lease revoked, fence lifted, route moved with a new epoch), writable;
 * the restarted old primary is fenced with an error naming the new primary and epoch, the
 * transactions it committed that the replica never got are quarantined, exactly those, and failback
 * replicates the new primary back into the old one.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FailoverIT {

    private static final String TENANT = "fo-acme";
    private static final Duration WAIT = Duration.ofSeconds(120);
    private static final long THRESHOLD_MS = 3000;

    private PostgresCluster pg;
    private PostgresCluster primary;
    private Stack stack;
    private TcpProxy proxy;
    private RestClient observerA;
    private RestClient observerB;
    private HeliosApi api;
    private String replication;
    private String primaryEndpoint;
    private String targetEndpoint;
    private ConfigurableApplicationContext worker;

    @BeforeAll
    void start() throws Exception {
        pg = TestClusters.shared();
        primary = TestClusters.startNew();
        for (String db : List.of("fo_control", "fo_failover", "fo_replica")) {
            pg.createDatabase(db);
        }
        primary.createDatabase("fo_primary");
        exec(primary, "fo_primary", "CREATE SCHEMA fo",
                "CREATE TABLE fo.orders (id bigint PRIMARY KEY, note text NOT NULL)",
                "INSERT INTO fo.orders SELECT g, 'seed' FROM generate_series(1, 100) g");
        stack = Stack.start(new Stack.Options(pg.jdbcUrl("fo_control"), pg.user(), pg.password(), 0, true, 4, Map.of()));
        worker = stack.startWorker("fo-worker", 0);
        proxy = TcpProxy.start(primary.host(), primary.port());
        String direct = primary.host() + ":" + primary.port();
        ConfigurableApplicationContext a = stack.startFailoverService(pg.jdbcUrl("fo_failover"), "observer-a", 0,
                "--helios.probe.address-overrides=" + direct + "=127.0.0.1:" + proxy.port());
        ConfigurableApplicationContext b = stack.startFailoverService(pg.jdbcUrl("fo_failover"), "observer-b", 0);
        observerA = client(a);
        observerB = client(b);
        api = stack.api();
        stack.startGateway(0);

        api.createTenant(TENANT, "Failover tenant");
        primaryEndpoint = api.createEndpoint("fo-primary", "region-a", primary.jdbcUrl("fo_primary"), primary.user(),
                primary.password());
        targetEndpoint = api.createEndpoint("fo-replica", "region-b", pg.jdbcUrl("fo_replica"), pg.user(), pg.password());
        replication = api.createReplication(new HashMap<>(Map.of("tenantId", TENANT, "sourceEndpointId", primaryEndpoint,
                "targetEndpointId", targetEndpoint, "tenancyModel", "SCHEMA", "sourceSchema", "fo")));
        api.action(replication, "start");
        await("replication streaming").atMost(WAIT).pollInterval(Duration.ofMillis(500)).until(() -> {
            Map<String, Object> s = api.status(replication);
            return "STREAMING".equals(s.get("phase")) && s.get("lastAppliedLsn") != null;
        });
        observerA.post().uri("/api/v1/failover-policies").contentType(MediaType.APPLICATION_JSON)
                .body(Map.of("name", "fo-acme", "tenantId", TENANT, "thresholdMs", THRESHOLD_MS, "rpoBoundMs", 5000))
                .retrieve().toBodilessEntity();
        await("both observers see the primary and the replica healthy").atMost(WAIT).until(() ->
                healthyObservers(observerB, "primary") == 2 && healthyObservers(observerB, "target") == 2);
    }

    @AfterAll
    void stop() {
        if (proxy != null) {
            proxy.close();
        }
        if (stack != null) {
            stack.close();
        }
        if (primary != null) {
            primary.close();
        }
    }

    @Test
    @Order(0)
    void theGatewayRoutesToTheFailoverServiceAndEnforcesItsRules() {
        RestClient viaGateway = RestClient.builder().baseUrl(stack.gatewayUrl())
                .defaultHeaders(h -> h.setBearerAuth(stack.token(Role.VIEWER))).build();
        assertThat(viaGateway.get().uri("/api/v1/failovers/health").retrieve().toEntity(String.class).getBody())
                .contains(TENANT);
        assertThat(viaGateway.get().uri("/api/v1/failover-policies").retrieve().toEntity(String.class).getBody())
                .contains("fo-acme");
        assertThat(viaGateway.get().uri("/api/v1/maintenance-windows").retrieve().toEntity(String.class)
                .getStatusCode().value()).isEqualTo(200);
        assertThatThrownBy(() -> viaGateway.post().uri("/api/v1/maintenance-windows").contentType(MediaType.APPLICATION_JSON)
                .body(Map.of("tenantId", TENANT, "reason", "x")).retrieve().toBodilessEntity())
                .isInstanceOf(HttpClientErrorException.Forbidden.class);
        assertThat(RestClient.create(stack.gatewayUrl()).get().uri("/v3/api-docs/failover-service").retrieve()
                .body(String.class)).contains("/api/v1/failovers");
    }

    @Test
    @Order(1)
    void aPartitionThatIsolatesOneObserverCausesNoFailover() throws Exception {
        proxy.cut();
        try {
            await("observer A sees the primary down").atMost(WAIT).until(() -> downObservers(observerB).contains("observer-a"));
            await("no failover while only observer A sees the primary down").during(Duration.ofMillis(THRESHOLD_MS * 3))
                    .atMost(Duration.ofMillis(THRESHOLD_MS * 3 + 30_000)).until(() -> failovers().isEmpty());
            Map<String, Object> dry = dryRun();
            assertThat(dry.get("wouldFailOver")).as("dry run %s", dry).isEqualTo(false);
            assertThat(dry.get("summary").toString()).contains("primary-down");
        } finally {
            proxy.restore();
        }
        await("observer A sees the primary again").atMost(WAIT).until(() -> healthyObservers(observerB, "primary") == 2);
    }

    @Test
    @Order(2)
    void aKilledPrimaryFailsOverAfterTheWindowIsFencedWhenBackAndItsLostWritesAreQuarantined() throws Exception {
        Instant now = Instant.now();
        @SuppressWarnings("unchecked")
        Map<String, Object> window = observerB.post().uri("/api/v1/maintenance-windows").contentType(MediaType.APPLICATION_JSON)
                .body(Map.of("tenantId", TENANT, "startsAt", now.minusSeconds(60).toString(),
                        "endsAt", now.plusSeconds(3600).toString(), "reason", "failover test"))
                .retrieve().body(Map.class);
        long epochBefore = routingEpoch();

        Set<Long> acknowledged = new ConcurrentSkipListSet<>();
        Thread writer = writer(acknowledged);
        await("the load reaches the replica").atMost(WAIT).until(() -> count(pg, "fo_replica") > 200);
        // the replica falls behind (its worker goes away) while the primary keeps committing: these
        // writes exist only on the primary when it dies, and only its slot still has them
        stack.stopWorker(worker);
        int behind = acknowledged.size();
        await("the primary commits what the replica will never get").atMost(WAIT)
                .until(() -> acknowledged.size() > behind + 100);

        primary.killPostmaster(true);
        writer.join(TimeUnit.SECONDS.toMillis(30));
        assertThat(writer.isAlive()).as("the writer ended with the primary").isFalse();

        await("no failover inside the maintenance window").during(Duration.ofMillis(THRESHOLD_MS * 3))
                .atMost(Duration.ofMillis(THRESHOLD_MS * 3 + 30_000)).until(() -> failovers().isEmpty());
        assertThat(downObservers(observerB)).contains("observer-a", "observer-b");
        observerB.delete().uri("/api/v1/maintenance-windows/{id}", window.get("id")).retrieve().toBodilessEntity();

        Map<String, Object> failover = await("the replica is promoted").atMost(WAIT).until(() -> {
            List<Map<String, Object>> all = failovers();
            return all.isEmpty() ? null : all.get(0);
        }, f -> f != null && "PROMOTED".equals(f.get("state")));
        assertThat(failover.get("trigger")).isEqualTo("AUTOMATIC");
        assertThat(failover.get("newPrimaryEndpointId")).isEqualTo(targetEndpoint);
        assertThat(api.get("/tenants/" + TENANT + "/route").get("primaryEndpointId")).isEqualTo(targetEndpoint);
        assertThat(routingEpoch()).isEqualTo(epochBefore + 1);
        assertThat(api.get("/replications/" + replication).get("state")).isEqualTo("STOPPED");
        try (Connection c = pg.connect("fo_replica"); Statement s = c.createStatement()) {
            s.execute("INSERT INTO fo.orders VALUES (-1, 'written on the new primary')");
        }

        primary.restart();
        String id = (String) failover.get("id");
        await("the old primary is fenced and its lost writes quarantined").atMost(WAIT).until(() ->
                "QUARANTINED".equals(observerA.get().uri("/api/v1/failovers/{id}", id).retrieve().body(Map.class).get("state")));
        try (Connection c = primary.connect("fo_primary"); Statement s = c.createStatement()) {
            assertThatThrownBy(() -> s.execute("INSERT INTO fo.orders VALUES (-2, 'split brain?')"))
                    .isInstanceOf(SQLException.class)
                    .hasMessageContaining("failed over to region-b")
                    .hasMessageContaining("routing epoch " + (epochBefore + 1));
        }

        Set<Long> onOld = ids(primary, "fo_primary");
        Set<Long> onNew = ids(pg, "fo_replica");
        onNew.remove(-1L);
        Set<Long> missing = new HashSet<>(onOld);
        missing.removeAll(onNew);
        Set<Long> acknowledgedMissing = new HashSet<>(acknowledged);
        acknowledgedMissing.removeAll(onNew);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> quarantined = observerB.get().uri("/api/v1/failovers/{id}/unreplicated", id).retrieve()
                .body(List.class);
        Set<Long> quarantinedIds = new HashSet<>();
        for (Map<String, Object> tx : quarantined) {
            for (Object change : (List<?>) tx.get("changes")) {
                Map<?, ?> row = (Map<?, ?>) ((Map<?, ?>) change).get("new");
                quarantinedIds.add(Long.parseLong(row.get("id").toString()));
            }
        }
        assertThat(quarantinedIds).as("quarantined rows are exactly the rows the new primary is missing").isEqualTo(missing);
        assertThat(quarantinedIds).containsAll(acknowledgedMissing);
        assertThat(acknowledgedMissing).as("acknowledged writes the replica never got").hasSizeGreaterThan(100);
        System.out.printf("failover: %d acknowledged writes, %d missing on the new primary (%d acknowledged), %d quarantined"
                + " transactions%n", acknowledged.size(), missing.size(), acknowledgedMissing.size(), quarantined.size());
        if (!quarantined.isEmpty()) {
            String tx = (String) quarantined.get(0).get("id");
            observerA.post().uri("/api/v1/failovers/{id}/unreplicated/{tx}/discarded", id, tx).retrieve().toBodilessEntity();
            assertThatThrownBy(() -> observerA.post().uri("/api/v1/failovers/{id}/unreplicated/{tx}/replayed", id, tx)
                    .retrieve().toBodilessEntity()).isInstanceOf(HttpClientErrorException.Conflict.class);
        }

        // failback, first half: the new primary replicates back into the (fenced) old one
        stack.startWorker("fo-worker-2", 0);
        @SuppressWarnings("unchecked")
        Map<String, Object> back = observerB.post().uri("/api/v1/failovers/{id}/failback", id).retrieve().body(Map.class);
        String reverse = (String) back.get("failbackReplicationId");
        assertThat(reverse).isNotNull();
        assertThat(api.get("/replications/" + reverse).get("sourceEndpointId")).isEqualTo(targetEndpoint);
        await("the old primary receives the new primary's writes").atMost(WAIT).pollInterval(Duration.ofMillis(500))
                .until(() -> ids(primary, "fo_primary").contains(-1L));
        assertThat(ids(primary, "fo_primary")).as("after the copy the old primary holds what the new one holds")
                .isEqualTo(ids(pg, "fo_replica"));
    }

    private Thread writer(Set<Long> acknowledged) {
        Thread t = new Thread(() -> {
            try (Connection c = primary.connect("fo_primary"); Statement s = c.createStatement()) {
                for (long n = 1000; ; n++) {
                    s.execute("INSERT INTO fo.orders VALUES (" + n + ", 'load')");
                    acknowledged.add(n);
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2)); // pacing of the load, not a wait
                }
            } catch (SQLException e) {
                // the primary died
            }
        }, "fo-writer");
        t.setDaemon(true);
        t.start();
        return t;
    }

    private RestClient client(ConfigurableApplicationContext service) {
        String token = stack.token(Role.ADMIN);
        return RestClient.builder().baseUrl("http://127.0.0.1:" + Stack.port(service))
                .defaultHeaders(h -> h.setBearerAuth(token)).build();
    }

    @SuppressWarnings("unchecked")
    private List<Map<String, Object>> failovers() {
        return observerB.get().uri("/api/v1/failovers").retrieve().body(List.class);
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> dryRun() {
        return observerA.post().uri("/api/v1/failovers").contentType(MediaType.APPLICATION_JSON)
                .body(Map.of("tenantId", TENANT, "dryRun", true)).retrieve().body(Map.class);
    }

    @SuppressWarnings("unchecked")
    private List<Map<String, Object>> health(RestClient client) {
        return client.get().uri("/api/v1/failovers/health").retrieve().body(List.class);
    }

    private long healthyObservers(RestClient client, String side) {
        return health(client).stream().filter(h -> TENANT.equals(h.get("tenantId")))
                .flatMap(h -> ((List<?>) h.get(side)).stream()).map(o -> (Map<?, ?>) o)
                .filter(o -> Boolean.TRUE.equals(o.get("reachable"))).count();
    }

    private Set<String> downObservers(RestClient client) {
        Set<String> down = new HashSet<>();
        health(client).stream().filter(h -> TENANT.equals(h.get("tenantId")))
                .flatMap(h -> ((List<?>) h.get("primary")).stream()).map(o -> (Map<?, ?>) o)
                .filter(o -> Boolean.FALSE.equals(o.get("reachable"))).forEach(o -> down.add((String) o.get("observerId")));
        return down;
    }

    private long routingEpoch() {
        return ((Number) api.get("/tenants/" + TENANT + "/route").get("routingEpoch")).longValue();
    }

    private static long count(PostgresCluster c, String db) throws SQLException {
        try (Connection conn = c.connect(db); Statement s = conn.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM fo.orders")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static Set<Long> ids(PostgresCluster c, String db) throws SQLException {
        Set<Long> out = new HashSet<>();
        try (Connection conn = c.connect(db); Statement s = conn.createStatement();
             ResultSet rs = s.executeQuery("SELECT id FROM fo.orders")) {
            while (rs.next()) {
                out.add(rs.getLong(1));
            }
        }
        return out;
    }
}
