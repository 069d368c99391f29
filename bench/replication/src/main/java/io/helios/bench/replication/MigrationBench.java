package io.helios.bench.replication;

import io.helios.security.Role;
import io.helios.stack.HeliosApi;
import io.helios.stack.Stack;
import io.helios.testsupport.PostgresCluster;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code bench/run migration}: a tenant of {@code -Drows} rows (default 1,000,000, over
 * {@code -Dtables} tables, default 4) moves region-a -> region-b and back (rollback)
 * {@code -Dmoves} times (default 10) while a client writes continuously, following the routing
 * directory; native logical replication's initial sync of the same tables runs in the same run.
 * Prints the client's write pause per move (the longest write, start to commit, refusals and the
 * retry on the new primary included), the migration's copy rate against native's, the client's
 * errors other than the fence's "moved" refusal, and checks after every move that the new primary
 * holds everything the old one did (checksums of every table, the client's ledger up to the old
 * primary's last row).
 */
final class MigrationBench {

    private static final String SCHEMA = "mig";
    private static final Duration LIMIT = Duration.ofMinutes(20);

    private MigrationBench() {
    }

    static void run(PostgresCluster a, PostgresCluster b, Stack stack, Setup setup, long rows, int tables, int moves)
            throws Exception {
        String dbA = Setup.SOURCE_DB;
        String dbB = Setup.HELIOS_DB;
        List<String> ddl = new ArrayList<>(List.of("CREATE SCHEMA " + SCHEMA, "CREATE TABLE " + SCHEMA
                + ".ledger (writer int, n bigint, started timestamptz NOT NULL, PRIMARY KEY (writer, n))"));
        for (int t = 1; t <= tables; t++) {
            ddl.add("CREATE TABLE " + SCHEMA + ".t" + t + " (id bigserial PRIMARY KEY, account bigint NOT NULL,"
                    + " amount numeric(14,2) NOT NULL, note text, at timestamptz NOT NULL DEFAULT now())");
        }
        Sql.exec(a, dbA, ddl.toArray(String[]::new));
        Sql.exec(b, dbB, ddl.toArray(String[]::new));
        Sql.exec(b, Setup.NATIVE_DB, ddl.toArray(String[]::new));
        for (int t = 1; t <= tables; t++) {
            Sql.exec(a, dbA, "INSERT INTO " + SCHEMA + ".t" + t + " (account, amount, note) SELECT g % 9973, g / 7.0,"
                    + " md5(g::text) FROM generate_series(1, " + rows / tables + ") g");
        }
        Sql.exec(a, dbA, "ANALYZE");
        long total = rows / tables * tables;

        long nativeStart = System.nanoTime();
        setup.startNative("FOR TABLES IN SCHEMA " + SCHEMA, true);
        double nativeRate = total / ((System.nanoTime() - nativeStart) / 1e9);
        Sql.exec(b, Setup.NATIVE_DB, "DROP SUBSCRIPTION " + Setup.SUBSCRIPTION);
        Sql.exec(a, dbA, "DROP PUBLICATION " + Setup.PUBLICATION);

        b.createDatabase("helios_migration");
        stack.startMigrationService(0, b.jdbcUrl("helios_migration"));
        HeliosApi cp = stack.api();
        HeliosApi ms = new HeliosApi(stack.migrationServiceUrl(), stack.token(Role.OPERATOR));
        String endpointA = cp.createEndpoint("bench-a", "region-a", a.jdbcUrl(dbA), a.user(), a.password());
        String endpointB = cp.createEndpoint("bench-b", "region-b", b.jdbcUrl(dbB), b.user(), b.password());
        cp.post("/tenants", Map.of("id", "bench", "name", "Bench", "primaryEndpointId", endpointA));

        // an application with a connection to each region (a pool per region), choosing by the directory's answer
        Connection toA = a.connect(dbA);
        Connection toB = b.connect(dbB);
        Writer writer = new Writer(() -> endpointA.equals(cp.get("/tenants/bench/route").get("primaryEndpointId")) ? toA : toB);
        List<Double> pauses = new ArrayList<>();
        List<Double> servicePauses = new ArrayList<>();
        List<Double> copyRates = new ArrayList<>();
        try {
            for (int m = 0; m < moves; m++) {
                Map<String, Object> body = new HashMap<>(Map.of("tenantId", "bench", "targetEndpointId", endpointB,
                        "cutover", "AUTO", "maxLagForCutoverMs", 1000, "tenancyModel", "SCHEMA", "sourceSchema", SCHEMA));
                // the copy as the operator sees it: from the request to the end of the initial copy (planning, the
                // replication's start and its slot included, as native's figure includes its subscription's start)
                long copyStart = System.nanoTime();
                String id = (String) ms.post("/migrations", body).get("id");
                long copyEnd = awaitPhase(ms, id, "CATCHING_UP", "READY", "CUTTING_OVER", "CUT_OVER", "REVERSE_REPLICATING");
                copyRates.add(total / Math.max(0.001, (copyEnd - copyStart) / 1e9));
                long before = System.nanoTime();
                Map<String, Object> moved = awaitMoved(ms, id, "REVERSE_REPLICATING");
                pauses.add(writer.longestSince(before));
                servicePauses.add(((Number) moved.get("writePauseMs")).doubleValue());
                verify(a, dbA, b, dbB, tables, "move " + (m + 1) + " to region-b");
                awaitPhaseAfter(ms, id, () -> reverseStreaming(cp, ms, id));
                before = System.nanoTime();
                ms.post("/migrations/" + id + "/rollback", null);
                Map<String, Object> back = awaitMoved(ms, id, "DONE");
                pauses.add(writer.longestSince(before));
                servicePauses.add(((Number) back.get("writePauseMs")).doubleValue());
                verify(b, dbB, a, dbA, tables, "move " + (m + 1) + " back to region-a");
                System.out.printf("move %d: copy %.0f rows/s, write pause there %.1f ms, back %.1f ms (service %.1f / %.1f)%n",
                        m + 1, copyRates.get(m), pauses.get(2 * m), pauses.get(2 * m + 1),
                        servicePauses.get(2 * m), servicePauses.get(2 * m + 1));
            }
        } finally {
            writer.stop();
            toA.close();
            toB.close();
        }
        List<Double> sorted = Stats.sorted(pauses);
        List<Double> service = Stats.sorted(servicePauses);
        System.out.printf("migration write pause p50 ms: %.1f p99 ms: %.1f max ms: %.1f%n", Stats.percentile(sorted, 0.5),
                Stats.percentile(sorted, 0.99), sorted.get(sorted.size() - 1));
        System.out.printf("migration service-measured pause p50 ms: %.1f p99 ms: %.1f max ms: %.1f%n",
                Stats.percentile(service, 0.5), Stats.percentile(service, 0.99), service.get(service.size() - 1));
        System.out.printf("migration copy rows/s: %.0f native-sync rows/s: %.0f%n",
                Stats.percentile(Stats.sorted(copyRates), 0.5), nativeRate);
        System.out.printf("client errors other than moved: %d (writes committed %d, moved refusals %d)%n",
                writer.errors.size(), writer.committed.get(), writer.refusals.get());
        System.out.printf("checksums equal after every move: %d moves%n", 2 * moves);
        if (!writer.errors.isEmpty()) {
            System.out.println("first error: " + writer.errors.get(0));
        }
    }

    private static boolean reverseStreaming(HeliosApi cp, HeliosApi ms, String id) {
        Object reverse = ms.get("/migrations/" + id).get("reverseReplicationId");
        return reverse != null && "STREAMING".equals(cp.get("/replications/" + reverse + "/status").get("phase"));
    }

    /** The new primary holds every table as the old one left it, and the client's ledger up to the old one's last row. */
    private static void verify(PostgresCluster from, String fromDb, PostgresCluster to, String toDb, int tables, String what) {
        String lastN = Sql.text(from, fromDb, "SELECT coalesce(max(n), 0) FROM " + SCHEMA + ".ledger");
        List<String> relations = new ArrayList<>();
        relations.add("(SELECT * FROM " + SCHEMA + ".ledger WHERE n <= " + lastN + ") t");
        for (int t = 1; t <= tables; t++) {
            relations.add(SCHEMA + ".t" + t + " t");
        }
        for (String r : relations) {
            String expected = Sql.checksum(from, fromDb, r);
            String actual = Sql.checksum(to, toDb, r);
            if (!expected.equals(actual)) {
                throw new IllegalStateException(what + ": " + r + " differs: " + expected + " vs " + actual);
            }
        }
    }

    private static long awaitPhase(HeliosApi ms, String id, String... phases) {
        List<String> wanted = List.of(phases);
        Waits.condition(LIMIT, () -> {
            Object phase = ms.get("/migrations/" + id).get("phase");
            if ("FAILED".equals(phase) || "ABORTED".equals(phase)) {
                throw new IllegalStateException("migration " + ms.get("/migrations/" + id));
            }
            return wanted.contains(phase);
        }, () -> "migration " + id + " not in " + wanted);
        return System.nanoTime();
    }

    private static void awaitPhaseAfter(HeliosApi ms, String id, java.util.function.BooleanSupplier ok) {
        Waits.condition(LIMIT, ok, () -> "migration " + id + ": reverse replication not streaming");
    }

    private static Map<String, Object> awaitMoved(HeliosApi ms, String id, String phase) {
        awaitPhase(ms, id, phase);
        return ms.get("/migrations/" + id);
    }

    /** One client following the route: a row per transaction, refusals re-route, latencies kept with their start. */
    private static final class Writer {

        private final Connections connections;
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final AtomicLong committed = new AtomicLong();
        private final AtomicLong refusals = new AtomicLong();
        private final List<String> errors = new CopyOnWriteArrayList<>();
        private final List<long[]> writes = new CopyOnWriteArrayList<>();
        private final Thread thread;

        interface Connections {
            Connection open() throws SQLException;
        }

        Writer(Connections connections) {
            this.connections = connections;
            this.thread = new Thread(this::run, "bench-routed-writer");
            thread.setDaemon(true);
            thread.start();
        }

        private void run() {
            Connection c = null;
            long n = 1;
            long first = System.nanoTime();
            while (running.get()) {
                try {
                    if (c == null) {
                        c = connections.open();
                    }
                    try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + SCHEMA
                            + ".ledger (writer, n, started) VALUES (1, ?, clock_timestamp())")) {
                        ps.setLong(1, n);
                        ps.executeUpdate();
                    }
                    long end = System.nanoTime();
                    writes.add(new long[]{first, end - first});
                    committed.incrementAndGet();
                    n++;
                    java.util.concurrent.locks.LockSupport.parkNanos(2_000_000);
                    first = System.nanoTime();
                } catch (SQLException e) {
                    if ("25006".equals(e.getSQLState())) {
                        refusals.incrementAndGet();
                    } else {
                        errors.add(e.getSQLState() + " " + e.getMessage());
                    }
                    c = null; // ask the directory again (the connections stay open, one per region)
                } catch (RuntimeException e) {
                    errors.add(e.toString());
                    c = null;
                }
            }
        }

        /** The longest write that began at or after {@code since} (nanoTime), in ms. */
        double longestSince(long since) {
            long longest = 0;
            for (long[] w : writes) {
                if (w[0] >= since) {
                    longest = Math.max(longest, w[1]);
                }
            }
            return longest / 1e6;
        }

        void stop() throws InterruptedException {
            running.set(false);
            thread.join(30_000);
        }
    }
}
