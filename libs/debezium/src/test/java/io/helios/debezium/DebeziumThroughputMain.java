package io.helios.debezium;

import io.helios.core.change.Lsn;
import io.helios.core.change.SourceTransaction;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;

/**
 * Benchmark, not a test: rows/s of {@link DebeziumCaptureEngine} consuming a backlog of 200
 * transactions of 1000 inserted rows each (the workload of {@code CaptureThroughputBench} in
 * libs/pgoutput), confirming every transaction. Prints the rate including engine start-up and
 * the rate from the first delivered transaction on.
 *
 * <p>Run from the repository root:
 * <pre>
 * ./mvnw -B -o -q test-compile dependency:build-classpath -pl libs/debezium \
 *     -Dmdep.outputFile=/tmp/dbz.cp -Dmdep.includeScope=test
 * cd libs/debezium &amp;&amp; java -cp target/test-classes:target/classes:$(cat /tmp/dbz.cp) \
 *     io.helios.debezium.DebeziumThroughputMain 3
 * </pre>
 */
public final class DebeziumThroughputMain {

    private static final int TRANSACTIONS = 200;
    private static final int ROWS_PER_TRANSACTION = 1000;

    private DebeziumThroughputMain() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        DebeziumFixture db = new DebeziumFixture("debezium_bench");
        db.sql("CREATE SCHEMA bench", "CREATE TABLE bench.orders (id bigint PRIMARY KEY, tenant_id text NOT NULL, "
                + "note text, amount numeric(12,2), created timestamptz NOT NULL DEFAULT now())",
                "CREATE PUBLICATION bench FOR TABLES IN SCHEMA bench");
        for (int round = 1; round <= rounds; round++) {
            String slot = "bench_" + round;
            db.sql("SELECT pg_create_logical_replication_slot('" + slot + "', 'pgoutput')");
            writeBacklog(db, round);
            consume(db, slot, round);
            db.sql("SELECT pg_drop_replication_slot('" + slot + "')");
        }
        System.exit(0);
    }

    private static void writeBacklog(DebeziumFixture db, int round) throws Exception {
        long base = (long) round * TRANSACTIONS * ROWS_PER_TRANSACTION;
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            for (int t = 0; t < TRANSACTIONS; t++) {
                long from = base + (long) t * ROWS_PER_TRANSACTION;
                s.execute("INSERT INTO bench.orders (id, tenant_id, note, amount) SELECT g, 'tenant-42', "
                        + "'order note number ' || g, g % 100000 / 100.0 FROM generate_series(" + from + ", "
                        + (from + ROWS_PER_TRANSACTION - 1) + ") g");
            }
        }
    }

    private static void consume(DebeziumFixture db, String slot, int round) throws InterruptedException {
        long rows = 0;
        long firstRows = 0;
        long started = System.nanoTime();
        long first = 0;
        try (DebeziumCaptureEngine engine = new DebeziumCaptureEngine(db.endpoint, slot, "bench", 64)) {
            engine.start(Lsn.ZERO);
            for (int i = 0; i < TRANSACTIONS; i++) {
                SourceTransaction tx = engine.poll(Duration.ofSeconds(120));
                if (tx == null) {
                    throw new IllegalStateException("backlog not delivered after " + i + " transactions");
                }
                if (i == 0) {
                    first = System.nanoTime();
                    firstRows = tx.rowCount();
                }
                rows += tx.rowCount();
                engine.confirm(tx.endLsn());
            }
        }
        long done = System.nanoTime();
        System.out.printf("round %d: %,d rows; %,.0f rows/s including start-up (%.2f s); %,.0f rows/s after the first "
                        + "transaction%n", round, rows, rows / ((done - started) / 1e9), (done - started) / 1e9,
                (rows - firstRows) / ((done - first) / 1e9));
    }
}
