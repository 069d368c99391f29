package io.helios.bench.replication;

import io.helios.stack.HeliosApi;
import io.helios.stack.Stack;
import io.helios.testsupport.Broker;
import io.helios.testsupport.PostgresCluster;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * {@code bench/run throughput|lag}: measures Helios against PostgreSQL native logical
 * replication on two fresh local clusters, in the same run. Prints its figures as the last
 * lines. Options are system properties: {@code -Drows=200000}, {@code -Drounds=5}, {@code -Dwarmup=1},
 * {@code -Dnative.binary=false} (the native subscription's binary transfer),
 * {@code -Drate=5000}, {@code -Dseconds=60}.
 */
public final class Bench {

    static final String TENANT = "bench";
    static final String TABLE_DDL = "CREATE TABLE IF NOT EXISTS public.bench_rows (tenant_id text NOT NULL, id bigint NOT NULL,"
            + " payload text, amount numeric(14,2), at timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (tenant_id, id))";

    private Bench() {
    }

    public static void main(String[] args) throws Exception {
        String mode = args.length == 0 ? "throughput" : args[0];
        try (PostgresCluster source = BenchCluster.start("source"); PostgresCluster target = BenchCluster.start("target")) {
            exec(source, "postgres", TABLE_DDL);
            target.createDatabase("helios");
            target.createDatabase("helios_tgt");
            target.createDatabase("native_tgt");
            exec(target, "native_tgt", TABLE_DDL);
            try (Stack stack = Stack.start(new Stack.Options(target.jdbcUrl("helios"), target.user(), target.password(),
                    0, Broker.answers(), 15, Map.of()))) {
                var worker = stack.startWorker("bench-worker", 0);
                var meters = worker.getBean(io.micrometer.core.instrument.MeterRegistry.class);
                switch (mode) {
                    case "throughput" -> Throughput.run(source, target, stack.api(), meters, Long.getLong("rows", 200_000),
                            Integer.getInteger("rounds", 5), Integer.getInteger("warmup", 1));
                    case "lag" -> LagBench.run(source, target, stack.api(), Integer.getInteger("rate", 5000),
                            Integer.getInteger("seconds", 60));
                    default -> throw new IllegalArgumentException("unknown benchmark " + mode + " (throughput, lag)");
                }
            }
        }
        System.exit(0);
    }

    /** Creates and starts the Helios ROW replication of the bench tenant, waiting until it streams. */
    static String startHelios(PostgresCluster source, PostgresCluster target, HeliosApi api) {
        String src = api.createEndpoint("bench-source", "region-a", source.jdbcUrl("postgres"), source.user(), source.password());
        String tgt = api.createEndpoint("bench-target", "region-b", target.jdbcUrl("helios_tgt"), target.user(), target.password());
        api.createTenant(TENANT, "Benchmark tenant");
        Map<String, Object> body = new HashMap<>(Map.of("tenantId", TENANT, "sourceEndpointId", src, "targetEndpointId", tgt,
                "tenancyModel", "ROW", "sourceSchema", "public", "discriminatorColumn", "tenant_id",
                "includeTables", List.of("bench_rows")));
        String id = api.createReplication(body);
        api.action(id, "start");
        awaitCondition(Duration.ofSeconds(120), () -> "STREAMING".equals(api.status(id).get("phase")),
                () -> "replication did not start streaming: " + api.status(id));
        return id;
    }

    static void createNativeSubscription(PostgresCluster source, PostgresCluster target) {
        exec(source, "postgres", "CREATE PUBLICATION native_pub FOR TABLE public.bench_rows WHERE (tenant_id = '" + TENANT + "')");
        exec(target, "native_tgt", "CREATE SUBSCRIPTION native_sub CONNECTION 'host=127.0.0.1 port=" + source.port()
                + " dbname=postgres user=" + source.user() + " password=" + source.password() + "'"
                + " PUBLICATION native_pub WITH (copy_data = false, enabled = false, binary = " + Boolean.getBoolean("native.binary") + ")");
    }

    private static final Map<String, Connection> PROBES = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * A single-number query on a long-lived connection: progress is polled every 20 ms, and a new
     * connection (a new backend process) per poll would cost the measured systems real CPU.
     */
    static long count(PostgresCluster c, String db, String sql) {
        String key = c.port() + "/" + db;
        try {
            Connection conn = PROBES.get(key);
            if (conn == null || conn.isClosed()) {
                conn = c.connect(db);
                PROBES.put(key, conn);
            }
            try (Statement s = conn.createStatement(); ResultSet rs = s.executeQuery(sql)) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (Exception e) {
            PROBES.remove(key);
            return -1;
        }
    }

    /** Nanoseconds until {@code counter} reaches {@code expected}, polled every 20 ms. */
    static long timeUntil(long expected, LongSupplier counter, Duration limit) throws InterruptedException {
        return progress(expected, counter, limit)[1];
    }

    /**
     * Nanoseconds until {@code counter} first moves from where it was, and until it reaches
     * {@code expected}, polled every 20 ms: the first figure is the system's start-up (connect,
     * decode up to the backlog), the second its whole catch-up.
     */
    static long[] progress(long expected, LongSupplier counter, Duration limit) throws InterruptedException {
        long start = System.nanoTime();
        long deadline = start + limit.toNanos();
        long initial = counter.getAsLong();
        long firstMove = -1;
        long now;
        while (true) {
            long value = counter.getAsLong();
            now = System.nanoTime();
            if (firstMove < 0 && value != initial) {
                firstMove = now - start;
            }
            if (value >= expected) {
                break;
            }
            if (now > deadline) {
                throw new IllegalStateException("not caught up within " + limit + ": " + value + " of " + expected);
            }
            Thread.sleep(20);
        }
        return new long[]{firstMove < 0 ? now - start : firstMove, now - start};
    }

    static void awaitCondition(Duration limit, java.util.function.BooleanSupplier ok, java.util.function.Supplier<String> why) {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!ok.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(why.get());
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted");
            }
        }
    }

    static void exec(PostgresCluster c, String db, String... sql) {
        try (Connection conn = c.connect(db); Statement s = conn.createStatement()) {
            for (String q : sql) {
                s.execute(q);
            }
        } catch (Exception e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    static double percentile(List<Double> sorted, double p) {
        if (sorted.isEmpty()) {
            return Double.NaN;
        }
        int i = (int) Math.ceil(p * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, i)));
    }

    static List<Double> sorted(List<Double> values) {
        List<Double> out = new ArrayList<>(values);
        Collections.sort(out);
        return out;
    }
}
