package io.helios.stack;

import io.helios.security.Role;
import io.helios.testsupport.Broker;
import io.helios.testsupport.PostgresCluster;
import io.helios.testsupport.TestClusters;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.helios.stack.Databases.exec;
import static io.helios.stack.Databases.scalar;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A live tenant moves region-a -> region-b and back (rollback) through the migration service, with
 * a real control plane, worker, PostgreSQL and broker, while an application that follows the
 * routing directory writes on: every write it committed is on the primary exactly once, it saw no
 * error but the fence's refusal naming the move, and both regions hold the same tenant after each
 * move.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MigrationEndToEndIT {

    private static final Logger log = LoggerFactory.getLogger(MigrationEndToEndIT.class);
    private static final Duration WAIT = Duration.ofSeconds(120);
    private static final String A = "mig_e2e_region_a";
    private static final String B = "mig_e2e_region_b";

    private PostgresCluster pg;
    private Stack stack;
    private HeliosApi controlPlane;
    private HeliosApi migrations;
    private String regionA;
    private String regionB;

    @BeforeAll
    void start() {
        Broker.require();
        pg = TestClusters.shared();
        for (String db : List.of("mig_e2e_control", "mig_e2e_service", A, B)) {
            pg.createDatabase(db);
        }
        stack = Stack.start(new Stack.Options(pg.jdbcUrl("mig_e2e_control"), pg.user(), pg.password(), 0, true, 4, Map.of()));
        // the applier records an idle position after this long without changes: it bounds how soon the target has
        // applied the source's final LSN during a cutover (the default 200ms is most of the write pause)
        stack.startWorker("mig-e2e-worker", 0, "--helios.apply.poll-timeout=20ms");
        stack.startMigrationService(0, pg.jdbcUrl("mig_e2e_service"), "--helios.migrations.tick=200ms");
        controlPlane = stack.api();
        migrations = new HeliosApi(stack.migrationServiceUrl(), stack.token(Role.OPERATOR));
        regionA = controlPlane.createEndpoint("mig-region-a", "region-a", pg.jdbcUrl(A), pg.user(), pg.password());
        regionB = controlPlane.createEndpoint("mig-region-b", "region-b", pg.jdbcUrl(B), pg.user(), pg.password());
        // the application's schema is deployed in both regions (replication carries rows, not defaults)
        for (String db : List.of(A, B)) {
            exec(pg, db, "CREATE SCHEMA acme", WriteLoad.DDL_LEDGER.formatted("acme"),
                    "CREATE TABLE acme.accounts (id bigserial PRIMARY KEY, balance numeric NOT NULL)");
        }
        exec(pg, A,
                "INSERT INTO acme.accounts (balance) SELECT g FROM generate_series(1, 20000) g",
                "INSERT INTO acme.ledger (writer, n, note) SELECT 0, g, 'seed' FROM generate_series(1, 5000) g");
        controlPlane.post("/tenants", Map.of("id", "acme", "name", "Acme", "primaryEndpointId", regionA));
        // the tenant's layout: its replication from its primary to a reporting replica would be here too; the
        // migration is told it (SCHEMA acme) since it has none
    }

    @AfterAll
    void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    private String primaryDatabase() {
        Object primary = controlPlane.get("/tenants/acme/route").get("primaryEndpointId");
        return regionA.equals(primary) ? A : B;
    }

    @Test
    void movesAcmeToRegionBAndBackWithAConcurrentWriter() throws Exception {
        RoutedWriter writer = new RoutedWriter(pg, "acme", 1, 0, this::primaryDatabase);
        Map<String, Object> body = new HashMap<>(Map.of("tenantId", "acme", "targetEndpointId", regionB,
                "cutover", "AUTO", "maxWritePauseMs", 500, "maxLagForCutoverMs", 2000, "tenancyModel", "SCHEMA",
                "sourceSchema", "acme"));
        String id = (String) migrations.post("/migrations", body).get("id");
        long epochBefore = ((Number) controlPlane.get("/tenants/acme/route").get("routingEpoch")).longValue();

        Map<String, Object> moved = awaitPhase(id, "REVERSE_REPLICATING");
        log.info("moved: {}", moved);
        assertThat(moved.get("writePauseMs")).isNotNull();
        Map<String, Object> route = controlPlane.get("/tenants/acme/route");
        assertThat(route.get("primaryEndpointId")).isEqualTo(regionB);
        assertThat(((Number) route.get("routingEpoch")).longValue()).isGreaterThan(epochBefore);
        await().atMost(WAIT).until(() -> writer.committed() > 0 && B.equals(primaryDatabase()));
        long before = writer.committed();
        try {
            await().atMost(Duration.ofSeconds(30)).until(() -> writer.committed() > before + 20);
        } catch (RuntimeException e) {
            log.warn("writer stuck at {}; sessions on {}: {}", writer.committed(), B, scalar(pg, B,
                    "SELECT string_agg(pid || ' ' || coalesce(application_name, '') || ' ' || coalesce(wait_event_type, '') || ':'"
                            + " || coalesce(wait_event, '') || ' ' || state || ' ' || left(query, 120), E'\\n')"
                            + " FROM pg_stat_activity WHERE datname = current_database()"));
            throw e;
        }
        long n = writer.stop();
        assertLedgerComplete(B, n);
        assertThat(writer.failures()).as("errors other than the fence's refusal").isEmpty();
        assertThat(writer.refusals()).anySatisfy(r -> assertThat(r).contains("moved to region-b, routing epoch"));
        // the sequence moved with the tenant: a new account on the new primary takes the next key, not a used one
        exec(pg, B, "INSERT INTO acme.accounts (balance) VALUES (-1)");
        awaitSameTenant();
        log.info("forward move: write latency {} ms, refusals {}", writer.latencySummary(), writer.refusals().size());

        RoutedWriter back = new RoutedWriter(pg, "acme", 1, n, this::primaryDatabase);
        await().atMost(WAIT).until(() -> back.committed() > n + 20);
        migrations.post("/migrations/" + id + "/rollback", null);
        Map<String, Object> done = awaitPhase(id, "DONE");
        assertThat(done.get("outcome")).isEqualTo("ROLLED_BACK");
        assertThat(controlPlane.get("/tenants/acme/route").get("primaryEndpointId")).isEqualTo(regionA);
        await().atMost(WAIT).until(() -> A.equals(primaryDatabase()));
        long backBefore = back.committed();
        await().atMost(WAIT).until(() -> back.committed() > backBefore + 20);
        long m = back.stop();
        assertLedgerComplete(A, m);
        assertThat(back.failures()).as("errors other than the fence's refusal").isEmpty();
        log.info("rollback: write pause {} ms, write latency {} ms, refusals {}", done.get("writePauseMs"),
                back.latencySummary(), back.refusals().size());
        assertThat(scalar(pg, A, "SELECT count(*) FROM acme.accounts")).isEqualTo("20001");
        // and back
        exec(pg, A, "INSERT INTO acme.accounts (balance) VALUES (-2)");
        assertThat(scalar(pg, A, "SELECT max(id) FROM acme.accounts")).isEqualTo("20002");
    }

    @Test
    void aRowTenantMovesAloneFromSharedTables() {
        for (String db : List.of(A, B)) {
            exec(pg, db, "CREATE TABLE public.tickets (tenant_id text NOT NULL, id bigint NOT NULL, subject text,"
                    + " PRIMARY KEY (tenant_id, id))");
        }
        exec(pg, A, "INSERT INTO public.tickets SELECT t, g, 'ticket ' || g FROM generate_series(1, 2000) g,"
                + " unnest(ARRAY['initech', 'hooli']) t");
        controlPlane.post("/tenants", Map.of("id", "initech", "name", "Initech", "primaryEndpointId", regionA));
        Map<String, Object> body = new HashMap<>(Map.of("tenantId", "initech", "targetEndpointId", regionB,
                "cutover", "AUTO", "maxWritePauseMs", 1000, "keepReverse", false, "tenancyModel", "ROW",
                "sourceSchema", "public"));
        String id = (String) migrations.post("/migrations", body).get("id");
        Map<String, Object> done = awaitPhase(id, "DONE");
        assertThat(done.get("outcome")).isEqualTo("MOVED");
        String initech = "SELECT * FROM public.tickets WHERE tenant_id = 'initech'";
        assertThat(Databases.checksum(pg, B, initech)).isEqualTo(Databases.checksum(pg, A, initech));
        assertThat(scalar(pg, B, "SELECT count(*) FROM public.tickets WHERE tenant_id <> 'initech'")).isEqualTo("0");
        // the other tenant of the shared table stays on region-a, writable; initech is refused there and writable on b
        exec(pg, A, "INSERT INTO public.tickets VALUES ('hooli', 5000, 'still here')");
        org.assertj.core.api.Assertions.assertThatThrownBy(() ->
                        exec(pg, A, "INSERT INTO public.tickets VALUES ('initech', 5000, 'moved?')"))
                .hasMessageContaining("moved to region-b");
        exec(pg, B, "INSERT INTO public.tickets VALUES ('initech', 5000, 'new home')");
        assertThat(controlPlane.get("/tenants/initech/route").get("primaryEndpointId")).isEqualTo(regionB);
    }

    @Test
    void anAbortedMigrationLeavesTheTenantWhereItWas() {
        exec(pg, A, "CREATE SCHEMA umbrella", "CREATE TABLE umbrella.items (id bigint PRIMARY KEY, v text)",
                "INSERT INTO umbrella.items SELECT g, 'v' || g FROM generate_series(1, 1000) g");
        controlPlane.post("/tenants", Map.of("id", "umbrella", "name", "Umbrella", "primaryEndpointId", regionA));
        Map<String, Object> body = new HashMap<>(Map.of("tenantId", "umbrella", "targetEndpointId", regionB,
                "cutover", "MANUAL", "tenancyModel", "SCHEMA", "sourceSchema", "umbrella"));
        String id = (String) migrations.post("/migrations", body).get("id");
        awaitPhase(id, "READY");
        migrations.post("/migrations/" + id + "/abort", null);
        Map<String, Object> aborted = awaitPhase(id, "ABORTED");
        assertThat(aborted.get("outcome")).isEqualTo("ABORTED");
        Map<String, Object> route = controlPlane.get("/tenants/umbrella/route");
        assertThat(route.get("primaryEndpointId")).isEqualTo(regionA);
        assertThat(((Number) route.get("routingEpoch")).longValue()).isEqualTo(1);
        exec(pg, A, "INSERT INTO umbrella.items VALUES (1001, 'still here')");
        assertThat(controlPlane.list("/replications").stream().filter(r -> "umbrella".equals(r.get("tenantId"))))
                .as("the migration's replication is gone").isEmpty();
        // the tenant may be migrated again
        assertThat(migrations.post("/migrations", body).get("phase")).isEqualTo("PLANNED");
    }

    /** Writer 1's rows 1..n are all there, once each (the key forbids twice), and none beyond. */
    private void assertLedgerComplete(String db, long n) {
        assertThat(scalar(pg, db, "SELECT count(*) || ':' || coalesce(max(n), 0) FROM acme.ledger WHERE writer = 1"))
                .isEqualTo(n + ":" + n);
    }

    private void awaitSameTenant() {
        await().atMost(WAIT).untilAsserted(() ->
                assertThat(TenantChecksums.of(pg, A, "acme")).isEqualTo(TenantChecksums.of(pg, B, "acme")));
    }

    private Map<String, Object> awaitPhase(String id, String phase) {
        await().atMost(WAIT).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            Map<String, Object> m = migrations.get("/migrations/" + id);
            assertThat(m.get("phase")).as("migration %s", m).isIn(phase, "FAILED", "ABORTED");
        });
        Map<String, Object> m = migrations.get("/migrations/" + id);
        assertThat(m.get("phase")).as("migration %s", m).isEqualTo(phase);
        return m;
    }
}
