package io.helios.stack.bench;

import io.helios.stack.HeliosApi;
import io.helios.testsupport.PostgresCluster;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.Locale;

/**
 * Catch-up throughput: with both slots in place (Helios paused, native subscription
 * disabled), loads a backlog of N tenant rows interleaved with N other tenants' rows in
 * 1000-row transactions, then times each system's catch-up alone on the same clusters.
 */
final class Throughput {

    /**
     * Progress probe: tenant ids grow with commit order and transactions apply whole and in order,
     * so max(id) + 1 reaching N means the backlog is applied. An index-only look-up, so polling
     * does not steal CPU from the systems being measured (count(*) would scan the table).
     */
    private static final String PROGRESS = "SELECT coalesce(max(id) + 1, 0) FROM public.bench_rows WHERE tenant_id = 'bench'";

    private Throughput() {
    }

    static void run(PostgresCluster source, PostgresCluster target, HeliosApi api, long rows) throws Exception {
        String id = Bench.startHelios(source, target, api);
        Bench.createNativeSubscription(source, target);
        api.action(id, "pause");
        Bench.awaitCondition(Duration.ofSeconds(60), () -> "PAUSED".equals(api.status(id).get("phase")),
                () -> "replication did not pause: " + api.status(id));
        load(source, rows);
        System.out.printf("loaded %d tenant rows and %d other rows in %d-row transactions%n", rows, rows, 1000);

        Bench.exec(target, "native_tgt", "ALTER SUBSCRIPTION native_sub ENABLE");
        long nativeNanos = Bench.timeUntil(rows, () -> Bench.count(target, "native_tgt", PROGRESS), Duration.ofMinutes(20));
        Bench.exec(target, "native_tgt", "ALTER SUBSCRIPTION native_sub DISABLE");

        api.action(id, "resume");
        long heliosNanos = Bench.timeUntil(rows, () -> Bench.count(target, "helios_tgt", PROGRESS), Duration.ofMinutes(20));
        long landed = Bench.count(target, "helios_tgt", "SELECT count(*) FROM public.bench_rows");
        if (landed != rows) {
            throw new IllegalStateException("helios target holds " + landed + " rows, expected " + rows);
        }

        double helios = rows / (heliosNanos / 1e9);
        double nativeRate = rows / (nativeNanos / 1e9);
        System.out.println(String.format(Locale.ROOT, "helios rows/s: %.0f", helios));
        System.out.println(String.format(Locale.ROOT, "native rows/s: %.0f", nativeRate));
        System.out.println(String.format(Locale.ROOT, "ratio: %.2f", helios / nativeRate));
    }

    private static void load(PostgresCluster source, long rows) throws Exception {
        try (Connection c = source.connect("postgres")) {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO public.bench_rows (tenant_id, id, payload, amount)"
                    + " SELECT CASE WHEN g % 2 = 0 THEN 'bench' ELSE 'other-' || (g % 7) END, g / 2 + ?,"
                    + " md5(g::text) || md5((g + 1)::text), (g % 10000) / 100.0 FROM generate_series(0, 999) g")) {
                for (long done = 0; done < 2 * rows; done += 1000) {
                    ps.setLong(1, done / 2);
                    ps.executeUpdate();
                    c.commit();
                }
            }
        }
    }
}
