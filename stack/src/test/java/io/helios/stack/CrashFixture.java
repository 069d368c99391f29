package io.helios.stack;

import io.helios.stack.process.HeliosProcesses;
import io.helios.stack.process.JvmProcess;
import io.helios.testsupport.PostgresCluster;
import io.helios.testsupport.TestClusters;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.helios.stack.Databases.scalar;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What the crash tests share, once per test JVM (like {@link TestClusters#shared()}): the shared
 * cluster (control plane database and sources), a control plane and a pool of workers in
 * processes of their own ({@link HeliosProcesses}) with a short lease TTL; tenants and
 * replications made through the REST API; and the checks that a replica is whole: every table's
 * checksum equal to the source's, every ledger row of a {@link WriteLoad} there exactly once, the
 * replication streaming without error. Sharing the processes keeps the JVM starts (the slow part
 * on a small machine) to what the crashes consume. Tests delete their replications after
 * themselves, so the pool is idle between tests. Driven by one test thread at a time.
 */
final class CrashFixture {

    static final Duration LEASE_TTL = Duration.ofSeconds(5);
    /** Generous: the machine is shared, and a takeover costs a TTL plus a JVM's reaction. */
    static final Duration WAIT = Duration.ofSeconds(180);
    /** Workers kept alive between tests: the worker tests need a survivor beside the one they kill. */
    private static final int POOL = 2;
    private static CrashFixture shared;

    final PostgresCluster pg = TestClusters.shared();
    final HeliosProcesses helios;
    private final Map<String, JvmProcess> workers = new LinkedHashMap<>();
    private final List<String> replications = new ArrayList<>();
    private int workerCount;
    private HeliosApi api;

    private CrashFixture() {
        pg.createDatabase(db("control"));
        helios = new HeliosProcesses(pg.jdbcUrl(db("control")), pg.user(), pg.password(), LEASE_TTL, "crash");
        Runtime.getRuntime().addShutdownHook(new Thread(helios::close, "kill-crash-processes"));
    }

    /**
     * The control plane and at least {@code workers} live workers, started on first use and
     * topped up after tests killed some; started side by side, since each takes a while.
     */
    static synchronized CrashFixture shared(int workers) {
        if (shared == null) {
            shared = new CrashFixture();
        }
        shared.ensure(Math.max(workers, POOL));
        return shared;
    }

    private void ensure(int wanted) {
        JvmProcess cp = helios.controlPlane();
        List<JvmProcess> starting = new ArrayList<>();
        if (cp == null || !cp.isAlive()) {
            starting.add(helios.startControlPlaneAsync());
        }
        workers.values().removeIf(w -> !w.isAlive());
        while (workers.size() < wanted) {
            String id = "worker-" + ++workerCount;
            JvmProcess w = helios.startWorkerAsync(id);
            workers.put(id, w);
            starting.add(w);
        }
        starting.forEach(p -> p.awaitReady(HeliosProcesses.readyBound()));
        // replacements started after a kill may still be on their way
        workers.values().forEach(p -> p.awaitReady(HeliosProcesses.readyBound()));
        api = helios.api();
    }

    /**
     * SIGKILLs worker {@code id} and starts its replacement for the next test at once, without
     * waiting for it (it boots while the test waits out the dead worker's lease).
     */
    void killWorker(String id) {
        JvmProcess w = workers.remove(id);
        if (w == null) {
            throw new IllegalStateException("no live worker " + id);
        }
        w.kill();
        String next = "worker-" + ++workerCount;
        workers.put(next, helios.startWorkerAsync(next));
    }

    /** The live workers by id. */
    Map<String, JvmProcess> workers() {
        workers.values().removeIf(w -> !w.isAlive());
        return Map.copyOf(workers);
    }

    String db(String name) {
        return "crash_" + name;
    }

    HeliosApi api() {
        return api;
    }

    /** A SCHEMA-model replication of {@code schema} from {@code source} to {@code target}, started. */
    String startReplication(String tenant, String schema, PostgresCluster source, String sourceDb,
                            PostgresCluster target, String targetDb) {
        api.createTenant(tenant, tenant);
        String from = api.createEndpoint(tenant + "-source", "region-a", source.jdbcUrl(sourceDb), source.user(),
                source.password());
        String to = api.createEndpoint(tenant + "-target", "region-b", target.jdbcUrl(targetDb), target.user(),
                target.password());
        String id = api.createReplication(new HashMap<>(Map.of("tenantId", tenant, "sourceEndpointId", from,
                "targetEndpointId", to, "tenancyModel", "SCHEMA", "sourceSchema", schema)));
        replications.add(id);
        api.action(id, "start");
        return id;
    }

    Map<String, Object> status(String id) {
        return api.status(id);
    }

    /** Waits until {@code worker} streams the replication (after its copy, or its takeover). */
    void awaitStreamingOn(String id, String worker) {
        await("replication streaming on " + worker).atMost(WAIT).pollInterval(Duration.ofMillis(500))
                .untilAsserted(() -> {
                    Map<String, Object> s = status(id);
                    assertThat(s.get("workerId")).as("status %s", s).isEqualTo(worker);
                    assertThat(s.get("phase")).as("status %s", s).isEqualTo("STREAMING");
                });
    }

    /** Waits until a worker other than {@code killed} streams the replication; answers which. */
    String awaitStreamingElsewhere(String id, String killed) {
        return await("replication streaming on a worker other than " + killed).atMost(WAIT)
                .pollInterval(Duration.ofMillis(500)).until(() -> {
                    Map<String, Object> s = status(id);
                    Object w = s.get("workerId");
                    return w != null && !w.equals(killed) && "STREAMING".equals(s.get("phase")) ? (String) w : null;
                }, w -> w != null);
    }

    /** Waits until a worker holds the lease and answers which. */
    String awaitHolder(String id) {
        return await("a worker holds the lease").atMost(WAIT).until(() -> (String) status(id).get("workerId"),
                w -> w != null);
    }

    /** Waits until a COPY into {@code db} runs on {@code target}: the initial copy is under way. */
    static void awaitCopyInto(PostgresCluster target, String db) {
        String sql = "SELECT count(*) FROM pg_stat_activity WHERE datname = '" + db + "' AND state = 'active'"
                + " AND query ILIKE 'COPY %FROM STDIN%'";
        await("initial copy under way").atMost(WAIT).pollInterval(Duration.ofMillis(20))
                .until(() -> !"0".equals(scalar(target, "postgres", sql)));
    }

    /** The checkpoint of {@code id} on the target, or null (none yet, or no checkpoint table yet). */
    static String checkpoint(PostgresCluster target, String db, String id) {
        if (scalar(target, db, "SELECT to_regclass('helios.replication_checkpoint')") == null) {
            return null;
        }
        return scalar(target, db, "SELECT lsn || ' epoch ' || lease_epoch FROM helios.replication_checkpoint"
                + " WHERE replication_id = '" + id + "'");
    }

    /** The LSN of the checkpoint of {@code id} on the target. */
    static String checkpointLsn(PostgresCluster target, String db, String id) {
        return scalar(target, db, "SELECT lsn FROM helios.replication_checkpoint WHERE replication_id = '" + id + "'");
    }

    /** Whether the source has confirmed less than {@code lsn} for the slot of {@code id}. */
    static boolean confirmedBelow(PostgresCluster source, String db, String id, String lsn) {
        return "t".equals(scalar(source, db, "SELECT confirmed_flush_lsn < '" + lsn + "'::pg_lsn"
                + " FROM pg_replication_slots WHERE slot_name = 'helios_" + id.replace("-", "") + "'"));
    }

    /** The lease epoch the checkpoint of {@code id} was last written under. */
    static long checkpointEpoch(PostgresCluster target, String db, String id) {
        return Long.parseLong(scalar(target, db, "SELECT lease_epoch FROM helios.replication_checkpoint"
                + " WHERE replication_id = '" + id + "'"));
    }

    /** The epoch of the lease {@code id} is held under now. */
    long leaseEpoch(String id) {
        return ((Number) status(id).get("leaseEpoch")).longValue();
    }

    /** Waits until every table of the tenant's schema on the target equals the source's. */
    static void awaitSameTenant(PostgresCluster source, String sourceDb, PostgresCluster target, String targetDb,
                                String schema) {
        await("target equal to source").atMost(WAIT).pollInterval(Duration.ofSeconds(1)).untilAsserted(() ->
                assertThat(TenantChecksums.of(target, targetDb, schema))
                        .isEqualTo(TenantChecksums.of(source, sourceDb, schema)));
    }

    /** Every ledger row the load committed is on {@code db} exactly once: per writer, rows 1..last, no gap. */
    static void assertLedgerExactlyOnce(PostgresCluster c, String db, String schema, Map<Integer, Long> committed) {
        Map<Integer, String> expected = new HashMap<>();
        committed.forEach((w, last) -> expected.put(w, last + " rows, 1.." + last));
        Map<Integer, String> actual = new HashMap<>();
        for (int w : committed.keySet()) {
            actual.put(w, scalar(c, db, "SELECT count(*) || ' rows, ' || coalesce(min(n), 0) || '..' || coalesce(max(n), 0)"
                    + " FROM " + schema + ".ledger WHERE writer = " + w));
        }
        assertThat(actual).isEqualTo(expected);
        assertThat(committed.values().stream().mapToLong(Long::longValue).sum()).as("rows the load committed")
                .isPositive();
    }

    /** The replication streams and carries no error: nothing was refused on the way. */
    void assertHealthy(String id) {
        Map<String, Object> s = status(id);
        assertThat(s.get("phase")).as("status %s", s).isEqualTo("STREAMING");
        assertThat(s.get("lastError")).as("status %s", s).isNull();
    }

    /** Diagnosis for a failed assertion: the status and where each process logs. */
    String describe(String id, JvmProcess... processes) {
        StringBuilder b = new StringBuilder("status " + (api == null ? "-" : safeStatus(id)));
        for (JvmProcess p : processes) {
            b.append("\n").append(p.name()).append(" log: ").append(p.log().toAbsolutePath());
        }
        return b.toString();
    }

    private Object safeStatus(String id) {
        try {
            return status(id);
        } catch (RuntimeException e) {
            return e.getMessage();
        }
    }

    /** Deletes this test's replications (best effort: their workers may be gone). */
    void deleteReplications() {
        for (String id : replications) {
            try {
                api.delete("/replications/" + id + "?force=true");
            } catch (RuntimeException e) {
                // a leftover replication only costs the next test a lease it does not use
            }
        }
        replications.clear();
    }
}
