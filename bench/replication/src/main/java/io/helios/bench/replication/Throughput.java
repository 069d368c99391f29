package io.helios.bench.replication;

import io.helios.stack.HeliosApi;
import io.helios.testsupport.PostgresCluster;

import io.micrometer.core.instrument.MeterRegistry;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Catch-up throughput. Each round, with both slots in place, their restart points settled at
 * what they confirmed (see {@link #settleRestartPoints}), Helios paused and the native
 * subscription disabled, loads a backlog of N tenant rows interleaved with N other tenants'
 * rows in 1000-row transactions, then times each system's catch-up alone on the same clusters.
 * Several rounds, because a 2-core machine running two clusters is noisy; the medians are the
 * result. The first round (-Dwarmup=1) is a warm-up, printed but not counted: both systems
 * start cold, but only the JVM spends the first seconds compiling its hot paths on the cores
 * the clusters need, a cost a long-running worker pays once.
 */
final class Throughput {

    /**
     * Progress probe: tenant ids grow with commit order and transactions apply whole and in order,
     * so max(id) + 1 reaching the goal means the backlog is applied. An index-only look-up, so
     * polling does not steal CPU from the systems being measured (count(*) would scan the table).
     */
    private static final String PROGRESS = "SELECT coalesce(max(id) + 1, 0) FROM public.bench_rows WHERE tenant_id = 'bench'";

    private Throughput() {
    }

    static void run(PostgresCluster source, PostgresCluster target, HeliosApi api, MeterRegistry meters, long rows,
                    int rounds, int warmUps) throws Exception {
        String id = Bench.startHelios(source, target, api);
        Bench.createNativeSubscription(source, target);
        List<Double> helios = new ArrayList<>();
        List<Double> nativeRates = new ArrayList<>();
        for (int round = 0; round < warmUps + rounds; round++) {
            settleRestartPoints(source, target);
            api.action(id, "pause");
            Bench.awaitCondition(Duration.ofSeconds(60), () -> "PAUSED".equals(api.status(id).get("phase")),
                    () -> "replication did not pause: " + api.status(id));
            String walBefore = queryText(source, "SELECT pg_current_wal_lsn()::text");
            load(source, rows, round * rows);
            System.out.println("round " + (round + 1) + ": source WAL written by the load: "
                    + Bench.count(source, "postgres", "SELECT (pg_current_wal_lsn() - '" + walBefore + "'::pg_lsn)::bigint / 1048576")
                    + " MiB; slots: " + slots(source));
            long goal = (round + 1) * rows;

            Bench.exec(target, "native_tgt", "ALTER SUBSCRIPTION native_sub ENABLE");
            long[] nativeProgress = Bench.progress(goal, () -> Bench.count(target, "native_tgt", PROGRESS), Duration.ofMinutes(20));
            long nativeNanos = nativeProgress[1];
            String nativeCpu = ProcessCpu.describe(
                    "walsender", ProcessCpu.lifetime(source, "postgres", ProcessCpu.WALSENDERS),
                    "apply worker", ProcessCpu.lifetime(target, "native_tgt",
                            "SELECT pid FROM pg_stat_subscription WHERE subname = 'native_sub' AND pid IS NOT NULL"));
            Bench.exec(target, "native_tgt", "ALTER SUBSCRIPTION native_sub DISABLE");

            double[] before = stages(meters);
            double jvmBefore = ProcessCpu.self();
            var threadsBefore = ProcessCpu.threads();
            api.action(id, "resume");
            long[] heliosProgress = Bench.progress(goal, () -> Bench.count(target, "helios_tgt", PROGRESS), Duration.ofMinutes(20));
            long heliosNanos = heliosProgress[1];
            System.out.println("round " + (round + 1) + ": helios JVM threads, cpu seconds: " + ProcessCpu.delta(threadsBefore, ProcessCpu.threads()));
            String heliosCpu = ProcessCpu.describe(
                    "walsender", ProcessCpu.lifetime(source, "postgres", ProcessCpu.WALSENDERS),
                    "worker JVM", ProcessCpu.self() - jvmBefore,
                    "target backend", ProcessCpu.lifetime(target, "helios_tgt",
                            "SELECT pid FROM pg_stat_activity WHERE application_name LIKE 'helios-apply-%'"));
            long landed = Bench.count(target, "helios_tgt", "SELECT count(*) FROM public.bench_rows");
            if (landed != goal) {
                throw new IllegalStateException("helios target holds " + landed + " rows, expected " + goal);
            }
            double[] after = stages(meters);
            System.out.printf(Locale.ROOT, "round %d: helios applier spent %.0f%% of the catch-up applying, %.0f%% waiting for capture%n",
                    round + 1, 100 * (after[0] - before[0]) / (heliosNanos / 1e9),
                    100 * (after[1] - before[1]) / (heliosNanos / 1e9));
            System.out.printf(Locale.ROOT, "round %d: first row on the target after: native %.0f ms (enable), helios %.0f ms (resume)%n",
                    round + 1, nativeProgress[0] / 1e6, heliosProgress[0] / 1e6);
            System.out.printf(Locale.ROOT, "round %d: cpu seconds: native [%s] in %.1f s; helios [%s] in %.1f s%n", round + 1,
                    nativeCpu, nativeNanos / 1e9, heliosCpu, heliosNanos / 1e9);
            double h = rows / (heliosNanos / 1e9);
            double n = rows / (nativeNanos / 1e9);
            boolean warmUp = round < warmUps;
            if (!warmUp) {
                helios.add(h);
                nativeRates.add(n);
            }
            System.out.printf(Locale.ROOT, "round %d%s: backlog of %d tenant rows (+%d other): helios %.0f rows/s, native %.0f rows/s%n",
                    round + 1, warmUp ? " (warm-up, not counted)" : "", rows, rows, h, n);
        }
        double h = Bench.percentile(Bench.sorted(helios), 0.5);
        double n = Bench.percentile(Bench.sorted(nativeRates), 0.5);
        System.out.println(String.format(Locale.ROOT, "helios rows/s: %.0f", h));
        System.out.println(String.format(Locale.ROOT, "native rows/s: %.0f", n));
        System.out.println(String.format(Locale.ROOT, "ratio: %.2f", h / n));
    }

    /**
     * Brings both slots' restart points up to where they confirmed, so that neither system
     * re-decodes an earlier round's WAL before reaching the backlog: a slot's restart point moves
     * only when its walsender decodes a running-transactions record the client then confirms,
     * which the server logs on its own only every 15 s, so whether a slot got one between rounds
     * would otherwise depend on timing (and differ between the two systems). With Helios
     * streaming (caught up) and the native subscription enabled, logs such a record and waits
     * until both slots have moved past it.
     */
    private static void settleRestartPoints(PostgresCluster source, PostgresCluster target) {
        Bench.exec(target, "native_tgt", "ALTER SUBSCRIPTION native_sub ENABLE");
        String snapshot = queryText(source, "SELECT pg_log_standby_snapshot()::text");
        Bench.awaitCondition(Duration.ofSeconds(60),
                () -> Bench.count(source, "postgres", "SELECT count(*) FROM pg_replication_slots WHERE restart_lsn < '"
                        + snapshot + "'::pg_lsn") == 0,
                () -> "slots did not move their restart points past " + snapshot + ": " + slots(source));
        Bench.exec(target, "native_tgt", "ALTER SUBSCRIPTION native_sub DISABLE");
    }

    private static String queryText(PostgresCluster cluster, String sql) {
        try (Connection c = cluster.connect("postgres"); var s = c.createStatement(); var rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        } catch (Exception e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }


    /** Each slot's WAL to decode from its restart point, and how much of it lies before its confirmed position. */
    private static String slots(PostgresCluster source) {
        StringBuilder out = new StringBuilder();
        try (Connection c = source.connect("postgres"); var s = c.createStatement();
             var rs = s.executeQuery("SELECT slot_name, (pg_current_wal_lsn() - restart_lsn)::bigint / 1048576,"
                     + " (confirmed_flush_lsn - restart_lsn)::bigint / 1048576 FROM pg_replication_slots ORDER BY 1")) {
            while (rs.next()) {
                out.append(rs.getString(1), 0, Math.min(12, rs.getString(1).length())).append(" from restart ")
                        .append(rs.getLong(2)).append(" MiB (already confirmed ").append(rs.getLong(3)).append(" MiB); ");
            }
        } catch (Exception e) {
            return e.getMessage();
        }
        return out.toString();
    }

    /** Seconds the worker's applier spent applying and waiting for capture so far. */
    private static double[] stages(MeterRegistry meters) {
        double apply = meters.find("helios.replication.apply.time").timers().stream()
                .mapToDouble(t -> t.totalTime(TimeUnit.SECONDS)).sum();
        double wait = meters.find("helios.replication.capture.wait").timers().stream()
                .mapToDouble(t -> t.totalTime(TimeUnit.SECONDS)).sum();
        return new double[]{apply, wait};
    }

    private static void load(PostgresCluster source, long rows, long firstId) throws Exception {
        try (Connection c = source.connect("postgres")) {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO public.bench_rows (tenant_id, id, payload, amount)"
                    + " SELECT CASE WHEN g % 2 = 0 THEN 'bench' ELSE 'other-' || (g % 7) END, g / 2 + ?,"
                    + " md5(g::text) || md5((g + 1)::text), (g % 10000) / 100.0 FROM generate_series(0, 999) g")) {
                for (long done = 0; done < 2 * rows; done += 1000) {
                    ps.setLong(1, firstId + done / 2);
                    ps.executeUpdate();
                    c.commit();
                }
            }
        }
    }
}
