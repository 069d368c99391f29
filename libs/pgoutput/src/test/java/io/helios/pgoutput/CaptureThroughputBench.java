package io.helios.pgoutput;

import io.helios.core.change.Lsn;
import io.helios.core.change.SourceTransaction;
import io.helios.core.tenant.TenancyModel;
import io.helios.core.tenant.TenantScope;
import io.helios.postgres.slot.Publications;

import java.sql.Connection;
import java.time.Duration;
import java.util.List;

/**
 * Benchmark, not a test: rows/s of {@link PgOutputCaptureEngine} consuming a backlog of
 * 200 transactions of 1000 inserted rows each, confirming every transaction. Prints figures.
 *
 * Also prints the JVM's, the reader thread's and the walsender's CPU time, and the rate of
 * the server decoding the same backlog alone, to show where the time goes.
 *
 * <p>Run from the repository root:
 * <pre>
 * ./mvnw -B -o -q test-compile dependency:build-classpath -pl libs/pgoutput \
 *     -Dmdep.outputFile=/tmp/pgout.cp -Dmdep.includeScope=test
 * cd libs/pgoutput &amp;&amp; java -cp target/test-classes:target/classes:$(cat /tmp/pgout.cp) \
 *     io.helios.pgoutput.CaptureThroughputBench 3
 * </pre>
 */
public final class CaptureThroughputBench {

    private static final int TRANSACTIONS = 200;
    private static final int ROWS_PER_TRANSACTION = 1000;

    private CaptureThroughputBench() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        CaptureFixture db = new CaptureFixture("pgoutput_bench");
        db.sql("CREATE SCHEMA bench", "CREATE TABLE bench.orders (id bigint PRIMARY KEY, tenant_id text NOT NULL, "
                + "note text, amount numeric(12,2), created timestamptz NOT NULL DEFAULT now())");
        try (Connection c = db.connect()) {
            Publications.ensure(c, "bench", new TenantScope("b", TenancyModel.SCHEMA, "bench", null, null, null),
                    List.of());
        }
        for (int round = 1; round <= rounds; round++) {
            String slot = "bench_" + round;
            db.createSlot(slot);
            db.createSlot(slot + "_server");
            writeBacklog(db, round);
            double rate = consume(db, slot);
            double serverRate = serverDecodeOnly(db, slot + "_server");
            System.out.printf("round %d: engine %,.0f rows/s; server-side pgoutput decoding alone %,.0f rows/s%n",
                    round, rate, serverRate);
            db.sql("SELECT pg_drop_replication_slot('" + slot + "')",
                    "SELECT pg_drop_replication_slot('" + slot + "_server')");
        }
        System.exit(0);
    }

    private static void writeBacklog(CaptureFixture db, int round) throws Exception {
        long base = (long) round * TRANSACTIONS * ROWS_PER_TRANSACTION;
        try (Connection c = db.connect(); var s = c.createStatement()) {
            for (int t = 0; t < TRANSACTIONS; t++) {
                long from = base + (long) t * ROWS_PER_TRANSACTION;
                s.execute("INSERT INTO bench.orders (id, tenant_id, note, amount) SELECT g, 'tenant-42', "
                        + "'order note number ' || g, g % 100000 / 100.0 FROM generate_series(" + from + ", "
                        + (from + ROWS_PER_TRANSACTION - 1) + ") g");
            }
        }
    }

    /** The same backlog decoded by the server into nowhere: the ceiling for any client. */
    private static double serverDecodeOnly(CaptureFixture db, String slot) throws Exception {
        long started = System.nanoTime();
        db.sql("SELECT count(*) FROM pg_logical_slot_get_binary_changes('" + slot + "', NULL, NULL, "
                + "'proto_version', '1', 'publication_names', 'bench')");
        return TRANSACTIONS * ROWS_PER_TRANSACTION / ((System.nanoTime() - started) / 1e9);
    }

    private static double consume(CaptureFixture db, String slot) throws InterruptedException {
        long rows = 0;
        long started = System.nanoTime();
        long cpuStarted = processCpuNanos();
        try (PgOutputCaptureEngine engine = new PgOutputCaptureEngine(db.endpoint, slot, "bench", 64)) {
            engine.start(Lsn.ZERO);
            for (int i = 0; i < TRANSACTIONS; i++) {
                SourceTransaction tx = engine.poll(Duration.ofSeconds(60));
                if (tx == null) {
                    throw new IllegalStateException("backlog not delivered after " + i + " transactions");
                }
                rows += tx.rowCount();
                engine.confirm(tx.endLsn());
            }
            System.out.printf("  walsender CPU %.2f s, reader thread CPU %.2f s%n",
                    walsenderCpuSeconds(db, slot), readerCpuSeconds(slot));
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        System.out.printf("  %.2f s wall, %.2f s CPU in this JVM%n", seconds, (processCpuNanos() - cpuStarted) / 1e9);
        return rows / seconds;
    }

    /** utime + stime of the slot's walsender, from /proc (Linux, local cluster only). */
    private static double walsenderCpuSeconds(CaptureFixture db, String slot) {
        try {
            String pid = db.text("SELECT active_pid FROM pg_replication_slots WHERE slot_name = '" + slot + "'");
            String[] stat = java.nio.file.Files.readString(java.nio.file.Path.of("/proc", pid, "stat")).split(" ");
            return (Long.parseLong(stat[13]) + Long.parseLong(stat[14])) / 100.0;
        } catch (Exception e) {
            return -1;
        }
    }

    private static double readerCpuSeconds(String slot) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals("helios-capture-" + slot))
                .mapToLong(t -> java.lang.management.ManagementFactory.getThreadMXBean().getThreadCpuTime(t.getId()))
                .sum() / 1e9;
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime();
    }
}
