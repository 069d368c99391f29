package io.helios.stack.bench;

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
 * Catch-up throughput. Each round, with both slots in place (Helios paused, the native
 * subscription disabled), loads a backlog of N tenant rows interleaved with N other tenants'
 * rows in 1000-row transactions, then times each system's catch-up alone on the same clusters.
 * Several rounds, because a 2-core machine running two clusters is noisy; the medians are the
 * result.
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
                    int rounds) throws Exception {
        String id = Bench.startHelios(source, target, api);
        Bench.createNativeSubscription(source, target);
        List<Double> helios = new ArrayList<>();
        List<Double> nativeRates = new ArrayList<>();
        for (int round = 0; round < rounds; round++) {
            api.action(id, "pause");
            Bench.awaitCondition(Duration.ofSeconds(60), () -> "PAUSED".equals(api.status(id).get("phase")),
                    () -> "replication did not pause: " + api.status(id));
            load(source, rows, round * rows);
            long goal = (round + 1) * rows;

            Bench.exec(target, "native_tgt", "ALTER SUBSCRIPTION native_sub ENABLE");
            long nativeNanos = Bench.timeUntil(goal, () -> Bench.count(target, "native_tgt", PROGRESS), Duration.ofMinutes(20));
            Bench.exec(target, "native_tgt", "ALTER SUBSCRIPTION native_sub DISABLE");

            double[] before = stages(meters);
            api.action(id, "resume");
            long heliosNanos = Bench.timeUntil(goal, () -> Bench.count(target, "helios_tgt", PROGRESS), Duration.ofMinutes(20));
            long landed = Bench.count(target, "helios_tgt", "SELECT count(*) FROM public.bench_rows");
            if (landed != goal) {
                throw new IllegalStateException("helios target holds " + landed + " rows, expected " + goal);
            }
            double[] after = stages(meters);
            System.out.printf(Locale.ROOT, "round %d: helios applier spent %.0f%% of the catch-up applying, %.0f%% waiting for capture%n",
                    round + 1, 100 * (after[0] - before[0]) / (heliosNanos / 1e9),
                    100 * (after[1] - before[1]) / (heliosNanos / 1e9));
            helios.add(rows / (heliosNanos / 1e9));
            nativeRates.add(rows / (nativeNanos / 1e9));
            System.out.printf(Locale.ROOT, "round %d: backlog of %d tenant rows (+%d other): helios %.0f rows/s, native %.0f rows/s%n",
                    round + 1, rows, rows, helios.get(round), nativeRates.get(round));
        }
        double h = Bench.percentile(Bench.sorted(helios), 0.5);
        double n = Bench.percentile(Bench.sorted(nativeRates), 0.5);
        System.out.println(String.format(Locale.ROOT, "helios rows/s: %.0f", h));
        System.out.println(String.format(Locale.ROOT, "native rows/s: %.0f", n));
        System.out.println(String.format(Locale.ROOT, "ratio: %.2f", h / n));
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
