package io.helios.stack;

import io.helios.testsupport.Broker;
import io.helios.testsupport.PostgresCluster;
import io.helios.testsupport.TestClusters;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.context.ConfigurableApplicationContext;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import static io.helios.stack.Databases.checksum;
import static io.helios.stack.Databases.exec;
import static io.helios.stack.Databases.scalar;
import static io.helios.stack.Databases.tx;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The replication spine end to end, through the generated Java client and the gateway (so the
 * published contract is the one tested) with an admin's bearer token and a real worker,
 * real PostgreSQL (logical) and a real broker: initial copy, streaming of every kind of change
 * and value, tenant isolation, the fence, schema evolution, worker handover and teardown. Run
 * once per capture engine by the subclasses.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ReplicationEndToEnd {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private PostgresCluster pg;
    private Stack stack;
    private ConfigurableApplicationContext worker;
    private ClientDriver api;
    private String sourceId;

    /** The capture engine the workers run: every end-to-end test passes on each. */
    abstract String engine();

    /** Databases of this class, apart from the other engine's. */
    String db(String name) {
        return "e2e_" + engine().toLowerCase() + "_" + name;
    }

    private ConfigurableApplicationContext startWorker(String id) {
        return stack.startWorker(id, 0, "--helios.capture.engine=" + engine());
    }

    @BeforeAll
    void startSuite() {
        Broker.require();
        pg = TestClusters.shared();
        pg.createDatabase(db("control"));
        pg.createDatabase(db("source"));
        pg.createDatabase(db("target"));
        pg.createDatabase(db("tenantdb"));
        pg.createDatabase(db("tenantdb_replica"));
        stack = Stack.start(new Stack.Options(pg.jdbcUrl(db("control")), pg.user(), pg.password(), 0, true, 4, Map.of()));
        worker = startWorker("e2e-worker-1");
        stack.startGateway(0, "--helios.gateway.rate-limit.capacity=1000", "--helios.gateway.rate-limit.refill-per-second=200");
        api = new ClientDriver(stack.gatewayUrl(), stack.token(io.helios.security.Role.ADMIN));
        sourceId = api.createEndpoint("e2e-source", "region-a", pg.jdbcUrl(db("source")), pg.user(), pg.password());
    }

    @AfterAll
    void stopSuite() {
        if (stack != null) {
            stack.close();
        }
    }

    private String targetEndpoint(String name) {
        return api.createEndpoint(name, "region-b", pg.jdbcUrl(db("target")), pg.user(), pg.password());
    }

    private String startReplication(Map<String, Object> body) {
        String id = api.createReplication(body);
        api.action(id, "start");
        await().atMost(WAIT).untilAsserted(() ->
                assertThat(api.status(id).get("phase")).as("status %s", api.status(id)).isEqualTo("STREAMING"));
        return id;
    }

    private void awaitSame(String query) {
        await().atMost(WAIT).untilAsserted(() ->
                assertThat(checksum(pg, db("target"), query)).isEqualTo(checksum(pg, db("source"), query)));
    }

    @Test
    void schemaTenantIsCopiedStreamedFencedAndEvolves() {
        exec(pg, db("source"),
                "CREATE SCHEMA globex",
                "CREATE TABLE globex.items (id bigint PRIMARY KEY, name text, amount numeric(40,12), tags text[],"
                        + " doc jsonb, at timestamptz, big text, note text)",
                "CREATE TABLE globex.events (id bigserial PRIMARY KEY, item_id bigint, kind text)",
                "INSERT INTO globex.items SELECT g, 'item ' || g, g * 1.000000000001, ARRAY['a', 'b''' || g],"
                        + " jsonb_build_object('g', g, 'nested', jsonb_build_array(1, null, 'x')),"
                        + " '2024-02-29 23:59:59.999999+00'::timestamptz + g * interval '1 day', NULL, NULL"
                        + " FROM generate_series(1, 500) g");
        api.createTenant("globex", "Globex");
        String id = startReplication(new HashMap<>(Map.of("tenantId", "globex", "sourceEndpointId", sourceId,
                "targetEndpointId", targetEndpoint("e2e-target-globex"), "tenancyModel", "SCHEMA",
                "sourceSchema", "globex")));
        awaitSame("SELECT * FROM globex.items");

        tx(pg, db("source"),
                "INSERT INTO globex.items (id, name, big) VALUES (1001, 'ünïcødé ✓ 𝄞', repeat('toast-me ', 50000))",
                "INSERT INTO globex.events (item_id, kind) SELECT g, 'created' FROM generate_series(1, 300) g",
                "UPDATE globex.items SET amount = -0.000000000001, note = '' WHERE id <= 10",
                "DELETE FROM globex.items WHERE id BETWEEN 20 AND 29");
        exec(pg, db("source"),
                "UPDATE globex.items SET name = 'renamed' WHERE id = 1001",
                "UPDATE globex.items SET id = 5000 WHERE id = 30",
                "INSERT INTO globex.items (id, at, doc) VALUES (1002, 'infinity', 'null'::jsonb)");
        awaitSame("SELECT * FROM globex.items");
        awaitSame("SELECT * FROM globex.events");

        assertThatThrownBy(() -> exec(pg, db("target"), "INSERT INTO globex.items (id) VALUES (99999)"))
                .hasMessageContaining("globex").hasMessageContaining("read-only");

        exec(pg, db("source"),
                "ALTER TABLE globex.items ADD COLUMN color text",
                "UPDATE globex.items SET color = 'red' WHERE id < 5",
                "CREATE TABLE globex.invoices (id int PRIMARY KEY, total numeric)",
                "INSERT INTO globex.invoices VALUES (1, 10.5), (2, NULL)");
        awaitSame("SELECT * FROM globex.items");
        awaitSame("SELECT * FROM globex.invoices");

        api.deleteReplication(id);
        String slots = "SELECT count(*) FROM pg_replication_slots WHERE slot_name = 'helios_" + id.replace("-", "") + "'";
        assertThat(scalar(pg, db("source"), slots)).isEqualTo("0");
        // the worker whose stream was cut must not reconnect and create the slot again
        await().during(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(6))
                .until(() -> "0".equals(scalar(pg, db("source"), slots)));
    }

    @Test
    void rowTenantCarriesOnlyItsRowsAndSurvivesWorkerHandover() {
        exec(pg, db("source"),
                "CREATE TABLE public.accounts (tenant_id text NOT NULL, id bigint NOT NULL, balance numeric,"
                        + " opened timestamptz, PRIMARY KEY (tenant_id, id))",
                "INSERT INTO public.accounts SELECT t, g, g * 10, now() FROM generate_series(1, 200) g,"
                        + " unnest(ARRAY['initech', 'umbrella']) t");
        exec(pg, db("target"), "CREATE TABLE IF NOT EXISTS public.accounts (tenant_id text NOT NULL, id bigint NOT NULL,"
                + " balance numeric, opened timestamptz, PRIMARY KEY (tenant_id, id))");
        api.createTenant("initech", "Initech");
        String id = startReplication(new HashMap<>(Map.of("tenantId", "initech", "sourceEndpointId", sourceId,
                "targetEndpointId", targetEndpoint("e2e-target-initech"), "tenancyModel", "ROW",
                "sourceSchema", "public", "discriminatorColumn", "tenant_id", "includeTables", java.util.List.of("accounts"))));
        String initech = "SELECT * FROM public.accounts WHERE tenant_id = 'initech'";
        awaitSame(initech);
        tx(pg, db("source"),
                "INSERT INTO public.accounts SELECT t, g, 1, now() FROM generate_series(201, 400) g,"
                        + " unnest(ARRAY['initech', 'umbrella']) t",
                "UPDATE public.accounts SET balance = balance + 1 WHERE id % 7 = 0",
                "DELETE FROM public.accounts WHERE id % 11 = 0");
        awaitSame(initech);
        assertThat(scalar(pg, db("target"), "SELECT count(*) FROM public.accounts WHERE tenant_id <> 'initech'"))
                .isEqualTo("0");

        // the worker goes away mid-stream; another takes the lease over (higher epoch) and resumes from the checkpoint
        stack.stopWorker(worker);
        exec(pg, db("source"), "INSERT INTO public.accounts SELECT 'initech', g, 2, now() FROM generate_series(401, 900) g");
        worker = startWorker("e2e-worker-2");
        exec(pg, db("source"), "UPDATE public.accounts SET balance = 0 WHERE tenant_id = 'initech' AND id > 850");
        awaitSame(initech);
        await().atMost(WAIT).untilAsserted(() -> assertThat(api.status(id).get("workerId")).isEqualTo("e2e-worker-2"));
        assertThat(scalar(pg, db("target"), "SELECT lease_epoch FROM helios.replication_checkpoint"
                + " WHERE replication_id = '" + id + "'")).isNotEqualTo("1");
    }

    @Test
    void databaseTenantTravelsWholeWithMetricsAndStatus() {
        exec(pg, db("tenantdb"),
                "CREATE TABLE public.notes (id int PRIMARY KEY, body text, at timestamptz DEFAULT now())",
                "CREATE SCHEMA billing", "CREATE TABLE billing.invoices (id uuid PRIMARY KEY, total numeric(20,4), paid boolean)",
                "INSERT INTO public.notes (id, body) SELECT g, 'note ' || g FROM generate_series(1, 50) g");
        api.createTenant("hooli", "Hooli");
        String src = api.createEndpoint("e2e-hooli-db", "region-a", pg.jdbcUrl(db("tenantdb")), pg.user(), pg.password());
        String tgt = api.createEndpoint("e2e-hooli-replica", "region-b", pg.jdbcUrl(db("tenantdb_replica")), pg.user(),
                pg.password());
        String id = startReplication(new HashMap<>(Map.of("tenantId", "hooli", "sourceEndpointId", src,
                "targetEndpointId", tgt, "tenancyModel", "DATABASE")));
        tx(pg, db("tenantdb"),
                "INSERT INTO billing.invoices SELECT gen_random_uuid(), g / 3.0, g % 2 = 0 FROM generate_series(1, 100) g",
                "UPDATE public.notes SET body = NULL WHERE id % 5 = 0");
        for (String q : new String[]{"SELECT * FROM public.notes", "SELECT * FROM billing.invoices"}) {
            await().atMost(WAIT).untilAsserted(() -> assertThat(checksum(pg, db("tenantdb_replica"), q))
                    .isEqualTo(checksum(pg, db("tenantdb"), q)));
        }
        await().atMost(WAIT).untilAsserted(() -> {
            Map<String, Object> status = api.status(id);
            assertThat(((Number) status.get("rowsApplied")).longValue()).isGreaterThanOrEqualTo(110);
            assertThat(status.get("lastAppliedLsn")).isNotNull();
        });
        String metrics = org.springframework.web.client.RestClient.create().get()
                .uri("http://127.0.0.1:" + Stack.port(worker) + "/actuator/prometheus").retrieve().body(String.class);
        assertThat(metrics).contains("helios_replication_lag_seconds").contains("tenant=\"hooli\"")
                .contains("helios_replication_rows_applied_total");

        // a pause confirms to the slot everything applied, so a resume is not sent it again; resume carries on
        exec(pg, db("tenantdb"), "INSERT INTO public.notes (id, body) SELECT g, 'late ' || g FROM generate_series(51, 90) g");
        String notes = "SELECT * FROM public.notes";
        await().atMost(WAIT).untilAsserted(() -> assertThat(checksum(pg, db("tenantdb_replica"), notes))
                .isEqualTo(checksum(pg, db("tenantdb"), notes)));
        api.action(id, "pause");
        await().atMost(WAIT).until(() -> "PAUSED".equals(api.status(id).get("phase")));
        String checkpoint = scalar(pg, db("tenantdb_replica"),
                "SELECT lsn FROM helios.replication_checkpoint WHERE replication_id = '" + id + "'");
        String slot = "helios_" + id.replace("-", "");
        await().atMost(Duration.ofSeconds(15)).until(() -> "t".equals(scalar(pg, db("tenantdb"),
                "SELECT confirmed_flush_lsn >= '" + checkpoint + "'::pg_lsn FROM pg_replication_slots WHERE slot_name = '"
                        + slot + "'")));
        exec(pg, db("tenantdb"), "UPDATE public.notes SET body = 'while paused' WHERE id > 80");
        api.action(id, "resume");
        await().atMost(WAIT).untilAsserted(() -> assertThat(checksum(pg, db("tenantdb_replica"), notes))
                .isEqualTo(checksum(pg, db("tenantdb"), notes)));
    }
}
