package io.helios.bench.replication;

import io.helios.stack.HeliosApi;
import io.helios.testsupport.PostgresCluster;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Steady-state lag: writes the tenant's rows at a fixed rate in 10-row transactions while
 * the replication runs, then measures each source transaction's lag as target commit time
 * minus source commit time (both clusters keep commit timestamps; same host clock).
 */
final class LagBench {

    private static final int TX_ROWS = 10;

    private LagBench() {
    }

    static void run(PostgresCluster source, PostgresCluster target, HeliosApi api, int rate, int seconds) throws Exception {
        Bench.startHelios(source, target, api);
        long txs = (long) rate * seconds / TX_ROWS;
        long intervalNanos = 1_000_000_000L * TX_ROWS / rate;
        long start = System.nanoTime();
        try (Connection c = source.connect("postgres")) {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO public.bench_rows (tenant_id, id, payload, amount)"
                    + " SELECT 'bench', ? + g, md5(g::text), g FROM generate_series(0, " + (TX_ROWS - 1) + ") g")) {
                for (long i = 0; i < txs; i++) {
                    long due = start + i * intervalNanos;
                    long wait = due - System.nanoTime();
                    if (wait > 0) {
                        java.util.concurrent.locks.LockSupport.parkNanos(wait);
                    }
                    ps.setLong(1, i * TX_ROWS);
                    ps.executeUpdate();
                    c.commit();
                }
            }
        }
        double achieved = txs * TX_ROWS / ((System.nanoTime() - start) / 1e9);
        long expected = txs * TX_ROWS;
        Bench.timeUntil(expected, () -> Bench.count(target, "helios_tgt", "SELECT count(*) FROM public.bench_rows"),
                Duration.ofMinutes(5));
        Map<Long, Long> sourceCommit = commitTimes(source, "postgres");
        Map<Long, Long> targetCommit = commitTimes(target, "helios_tgt");
        List<Double> lags = new ArrayList<>();
        sourceCommit.forEach((id, srcMicros) -> {
            Long tgt = targetCommit.get(id);
            if (tgt != null) {
                lags.add((tgt - srcMicros) / 1000.0);
            }
        });
        List<Double> sorted = Bench.sorted(lags);
        System.out.printf(Locale.ROOT, "measured %d transactions%n", sorted.size());
        System.out.println(String.format(Locale.ROOT, "lag p50 ms: %.1f p99 ms: %.1f at %.0f rows/s",
                Bench.percentile(sorted, 0.50), Bench.percentile(sorted, 0.99), achieved));
    }

    /** Commit time (µs since epoch) of the transaction that wrote each first row of a 10-row transaction. */
    private static Map<Long, Long> commitTimes(PostgresCluster c, String db) throws Exception {
        Map<Long, Long> out = new HashMap<>();
        try (Connection conn = c.connect(db); PreparedStatement ps = conn.prepareStatement(
                "SELECT id, (extract(epoch FROM pg_xact_commit_timestamp(xmin)) * 1000000)::bigint FROM public.bench_rows"
                        + " WHERE tenant_id = 'bench' AND id % " + TX_ROWS + " = 0")) {
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getLong(1), rs.getLong(2));
                }
            }
        }
        return out;
    }
}
