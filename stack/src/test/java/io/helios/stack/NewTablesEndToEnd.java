package io.helios.stack;

import io.helios.testsupport.Broker;
import io.helios.testsupport.PostgresCluster;
import io.helios.testsupport.TestClusters;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.context.ConfigurableApplicationContext;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static io.helios.stack.Databases.checksum;
import static io.helios.stack.Databases.exec;
import static io.helios.stack.Databases.scalar;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tables created while a replication streams join it, for every tenancy model and table filter:
 * their rows written before the pickup are copied, those written during and after it are streamed,
 * and the target ends equal to the source (checksums; insert-only tables without a key, so a
 * duplicate or a gap shows in the count). A table a glob excludes stays out; a worker restart
 * after a pickup, or before one, duplicates nothing. Run once per capture engine.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class NewTablesEndToEnd {

    private static final Duration WAIT = Duration.ofSeconds(90);
    private PostgresCluster pg;
    private Stack stack;
    private ConfigurableApplicationContext worker;
    private ClientDriver api;
    private int workers;

    abstract String engine();

    String db(String name) {
        return "nt_" + engine().toLowerCase() + "_" + name;
    }

    private ConfigurableApplicationContext startWorker() {
        return stack.startWorker("nt-worker-" + (++workers), 0, "--helios.capture.engine=" + engine(),
                "--helios.apply.table-discovery-interval=1s");
    }

    @BeforeAll
    void startSuite() {
        Broker.require();
        pg = TestClusters.shared();
        for (String d : List.of("control", "source", "target", "tenantdb", "tenantdb_replica")) {
            pg.createDatabase(db(d));
        }
        stack = Stack.start(new Stack.Options(pg.jdbcUrl(db("control")), pg.user(), pg.password(), 0, true, 4, Map.of()));
        worker = startWorker();
        stack.startGateway(0, "--helios.gateway.rate-limit.capacity=1000", "--helios.gateway.rate-limit.refill-per-second=200");
        api = new ClientDriver(stack.gatewayUrl(), stack.token(io.helios.security.Role.ADMIN));
    }

    @AfterAll
    void stopSuite() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void schemaTenantPicksUpNewTablesItsGlobsIncludeAndNoOther() throws Exception {
        exec(pg, db("source"), "CREATE SCHEMA acme", "CREATE TABLE acme.items (id bigint PRIMARY KEY, name text)",
                "INSERT INTO acme.items SELECT g, 'i' || g FROM generate_series(1, 100) g");
        String id = start("acme", db("source"), db("target"), Map.of("tenancyModel", "SCHEMA", "sourceSchema", "acme",
                "includeTables", List.of("items", "orders*"), "excludeTables", List.of("orders_tmp*")));

        exec(pg, db("source"), "CREATE TABLE acme.orders_2025 (seq bigint, note text)",
                "ALTER TABLE acme.orders_2025 REPLICA IDENTITY FULL",
                "CREATE TABLE acme.orders_tmp1 (id int PRIMARY KEY)", "INSERT INTO acme.orders_tmp1 VALUES (1)");
        writeDuringPickup(db("source"), db("target"), "acme.orders_2025", "(seq, note) VALUES (%d, 'n')");
        awaitSame(db("source"), db("target"), "SELECT * FROM acme.orders_2025");
        awaitSame(db("source"), db("target"), "SELECT * FROM acme.items");
        assertThat(scalar(pg, db("target"), "SELECT to_regclass('acme.orders_tmp1') IS NULL")).isEqualTo("t");
        assertThat(scalar(pg, db("source"), "SELECT count(*) FROM pg_publication_tables WHERE pubname = 'helios_"
                + id.replace("-", "") + "' AND tablename = 'orders_tmp1'")).isEqualTo("0");

        // a restart after the pickup: the new worker resumes and streams on, nothing twice
        stack.stopWorker(worker);
        exec(pg, db("source"), "INSERT INTO acme.orders_2025 SELECT g, 'after restart' FROM generate_series(1, 200) g");
        worker = startWorker();
        awaitSame(db("source"), db("target"), "SELECT * FROM acme.orders_2025");
        api.deleteReplication(id);
    }

    @Test
    void rowTenantPicksUpANewSharedTableWithOnlyItsRows() throws Exception {
        exec(pg, db("source"), "CREATE SCHEMA shared",
                "CREATE TABLE shared.acc_users (tenant_id text NOT NULL, id bigint NOT NULL, PRIMARY KEY (tenant_id, id))",
                "INSERT INTO shared.acc_users SELECT t, g FROM generate_series(1, 50) g, unnest(ARRAY['wayne', 'stark']) t");
        String id = start("wayne", db("source"), db("target"), Map.of("tenancyModel", "ROW", "sourceSchema", "shared",
                "discriminatorColumn", "tenant_id", "includeTables", List.of("acc_*")));

        exec(pg, db("source"), "CREATE TABLE shared.acc_ledger (tenant_id text NOT NULL, seq bigint, amount numeric)",
                "ALTER TABLE shared.acc_ledger REPLICA IDENTITY FULL");
        writeDuringPickup(db("source"), db("target"), "shared.acc_ledger",
                "SELECT t, %d, 1.5 FROM unnest(ARRAY['wayne', 'stark']) t");
        String wayne = "SELECT * FROM shared.acc_ledger WHERE tenant_id = 'wayne'";
        awaitSame(db("source"), db("target"), wayne);
        assertThat(scalar(pg, db("target"), "SELECT count(*) FROM shared.acc_ledger WHERE tenant_id <> 'wayne'"))
                .isEqualTo("0");
        api.deleteReplication(id);
    }

    @Test
    void databaseTenantPicksUpTablesOfNewSchemasAlsoAcrossARestart() throws Exception {
        exec(pg, db("tenantdb"), "CREATE TABLE public.notes (id int PRIMARY KEY, body text)",
                "INSERT INTO public.notes SELECT g, 'n' || g FROM generate_series(1, 20) g");
        String id = start("oscorp", db("tenantdb"), db("tenantdb_replica"), Map.of("tenancyModel", "DATABASE"));

        exec(pg, db("tenantdb"), "CREATE SCHEMA crm", "CREATE TABLE crm.contacts (seq bigint, who text)",
                "ALTER TABLE crm.contacts REPLICA IDENTITY FULL");
        writeDuringPickup(db("tenantdb"), db("tenantdb_replica"), "crm.contacts", "VALUES (%d, 'c')");
        awaitSame(db("tenantdb"), db("tenantdb_replica"), "SELECT * FROM crm.contacts");

        // a table created while no worker runs: the next worker copies it before streaming it
        stack.stopWorker(worker);
        exec(pg, db("tenantdb"), "CREATE SCHEMA sales", "CREATE TABLE sales.deals (id int PRIMARY KEY, v int)",
                "INSERT INTO sales.deals SELECT g, g FROM generate_series(1, 300) g");
        worker = startWorker();
        exec(pg, db("tenantdb"), "UPDATE sales.deals SET v = -v WHERE id % 3 = 0", "INSERT INTO sales.deals VALUES (301, 1)");
        awaitSame(db("tenantdb"), db("tenantdb_replica"), "SELECT * FROM sales.deals");
        awaitSame(db("tenantdb"), db("tenantdb_replica"), "SELECT * FROM crm.contacts");
        awaitSame(db("tenantdb"), db("tenantdb_replica"), "SELECT * FROM public.notes");
        api.deleteReplication(id);
    }

    private String start(String tenant, String sourceDb, String targetDb, Map<String, Object> fields) {
        api.createTenant(tenant, tenant);
        String src = api.createEndpoint("nt-src-" + tenant, "region-a", pg.jdbcUrl(sourceDb), pg.user(), pg.password());
        String tgt = api.createEndpoint("nt-tgt-" + tenant, "region-b", pg.jdbcUrl(targetDb), pg.user(), pg.password());
        Map<String, Object> body = new HashMap<>(fields);
        body.putAll(Map.of("tenantId", tenant, "sourceEndpointId", src, "targetEndpointId", tgt));
        String id = api.createReplication(body);
        api.action(id, "start");
        await().atMost(WAIT).untilAsserted(() ->
                assertThat(api.status(id).get("phase")).as("status %s", api.status(id)).isEqualTo("STREAMING"));
        return id;
    }

    /**
     * Inserts rows into the new table before its pickup, keeps inserting (a writer of its own,
     * one row set per transaction) while the worker finds, publishes and copies it, and stops once
     * the target holds the table and has streamed rows written after the copy.
     */
    private void writeDuringPickup(String sourceDb, String targetDb, String table, String rowsFormat) throws Exception {
        AtomicLong seq = new AtomicLong();
        for (int i = 0; i < 200; i++) {
            insert(sourceDb, table, rowsFormat, seq.incrementAndGet());
        }
        AtomicBoolean stop = new AtomicBoolean();
        CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
            try (Connection c = pg.connect(sourceDb); Statement s = c.createStatement()) {
                while (!stop.get()) {
                    s.execute("INSERT INTO " + table + " " + rowsFormat.formatted(seq.incrementAndGet()));
                    s.execute("SELECT pg_sleep(0.005)");
                }
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        });
        await().atMost(WAIT).until(() -> "t".equals(scalar(pg, targetDb, "SELECT to_regclass('" + table + "') IS NOT NULL")));
        long afterPickup = seq.get() + 100;
        await().atMost(WAIT).until(() -> seq.get() > afterPickup || writer.isDone());
        stop.set(true);
        writer.get(30, TimeUnit.SECONDS);
    }

    private void insert(String db, String table, String rowsFormat, long n) {
        exec(pg, db, "INSERT INTO " + table + " " + rowsFormat.formatted(n));
    }

    private void awaitSame(String sourceDb, String targetDb, String query) {
        // ignoring exceptions: the target table may not exist yet
        await().atMost(WAIT).ignoreExceptions().untilAsserted(() ->
                assertThat(checksum(pg, targetDb, query)).isEqualTo(checksum(pg, sourceDb, query)));
    }
}
