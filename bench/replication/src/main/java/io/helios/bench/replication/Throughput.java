package io.helios.bench.replication;

import io.helios.testsupport.PostgresCluster;

import io.micrometer.core.instrument.MeterRegistry;

import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Catch-up throughput. Each round, with both slots in place, their restart points settled at
 * what they confirmed (see {@link #settleRestartPoints}), Helios paused and the native
 * subscription disabled, the workload writes a backlog (insert: N tenant rows interleaved with N
 * other tenants' rows in 1000-row transactions; oltp: N transactions from its concurrent
 * clients), then each system's catch-up is timed alone on the same clusters, and both targets are
 * checked against the source. Several rounds, because a 2-core machine running two clusters is
 * noisy; the medians are the result. The first round (-Dwarmup=1) is a warm-up, printed but not
 * counted: both systems start cold, but only the JVM spends the first seconds compiling its hot
 * paths on the cores the clusters need, a cost a long-running worker pays once.
 */
final class Throughput {

    private Throughput() {
    }

    /** One system's catch-up: nanoseconds to its first applied row and to the whole backlog, and the CPU it used. */
    private record CatchUp(long firstRowNanos, long nanos, String cpu) {

        double rate(long units) {
            return units / (nanos / 1e9);
        }
    }

    static void run(Setup s, Workload w, MeterRegistry meters, long size, int rounds, int warmUps) throws Exception {
        String id = w.start(s, true);
        List<Double> helios = new ArrayList<>();
        List<Double> nativeRates = new ArrayList<>();
        List<Double> heliosTx = new ArrayList<>();
        List<Double> nativeTx = new ArrayList<>();
        for (int round = 0; round < warmUps + rounds; round++) {
            Load load = writeBacklog(s, w, id, size, round);
            CatchUp nat = catchUpNative(s, w, load);
            CatchUp hel = catchUpHelios(s, w, meters, id, load, round);
            w.verify(s, true);
            System.out.printf(Locale.ROOT, "round %d: first row on the target after: native %.0f ms (enable), helios %.0f ms (resume)%n",
                    round + 1, nat.firstRowNanos() / 1e6, hel.firstRowNanos() / 1e6);
            System.out.printf(Locale.ROOT, "round %d: cpu seconds: native [%s] in %.1f s; helios [%s] in %.1f s%n", round + 1,
                    nat.cpu(), nat.nanos() / 1e9, hel.cpu(), hel.nanos() / 1e9);
            boolean warmUp = round < warmUps;
            if (!warmUp) {
                helios.add(hel.rate(load.rowChanges()));
                nativeRates.add(nat.rate(load.rowChanges()));
                heliosTx.add(hel.rate(load.transactions()));
                nativeTx.add(nat.rate(load.transactions()));
            }
            String tx = w.perTransaction() ? String.format(Locale.ROOT, " (helios %.0f tx/s, native %.0f tx/s)",
                    hel.rate(load.transactions()), nat.rate(load.transactions())) : "";
            System.out.printf(Locale.ROOT, "round %d%s: %s: helios %.0f rows/s, native %.0f rows/s%s; targets verified%n",
                    round + 1, warmUp ? " (warm-up, not counted)" : "", load.what(), hel.rate(load.rowChanges()),
                    nat.rate(load.rowChanges()), tx);
        }
        if (w.perTransaction()) {
            System.out.println(String.format(Locale.ROOT, "helios tx/s: %.0f", median(heliosTx)));
            System.out.println(String.format(Locale.ROOT, "native tx/s: %.0f", median(nativeTx)));
        }
        double h = median(helios);
        double n = median(nativeRates);
        System.out.println(String.format(Locale.ROOT, "helios rows/s: %.0f", h));
        System.out.println(String.format(Locale.ROOT, "native rows/s: %.0f", n));
        System.out.println(String.format(Locale.ROOT, "ratio: %.2f", h / n));
    }

    /** With both slots settled, Helios paused and the subscription disabled, writes a round's backlog. */
    private static Load writeBacklog(Setup s, Workload w, String id, long size, int round) throws Exception {
        settleRestartPoints(s);
        s.api().action(id, "pause");
        Waits.condition(Duration.ofSeconds(60), () -> "PAUSED".equals(s.api().status(id).get("phase")),
                () -> "replication did not pause: " + s.api().status(id));
        String walBefore = Sql.text(s.source(), Setup.SOURCE_DB, "SELECT pg_current_wal_lsn()::text");
        long loadStart = System.nanoTime();
        Load load = w.backlog(s, size, round);
        double loadSeconds = (System.nanoTime() - loadStart) / 1e9;
        System.out.printf(Locale.ROOT, "round %d: %s written in %.1f s (%.0f tx/s)%n", round + 1, load.what(), loadSeconds,
                load.transactions() / loadSeconds);
        System.out.println("round " + (round + 1) + ": source WAL written by the load: "
                + Sql.count(s.source(), Setup.SOURCE_DB, "SELECT (pg_current_wal_lsn() - '" + walBefore + "'::pg_lsn)::bigint / 1048576")
                + " MiB; slots: " + slots(s.source()));
        return load;
    }

    private static CatchUp catchUpNative(Setup s, Workload w, Load load) throws InterruptedException {
        s.enableNative(true);
        long[] progress = Waits.progress("native target", load.goal(),
                () -> Sql.count(s.target(), Setup.NATIVE_DB, w.progressSql()), s.waitLimit());
        String cpu = ProcessCpu.describe(
                "walsender", ProcessCpu.lifetime(s.source(), Setup.SOURCE_DB, ProcessCpu.WALSENDERS),
                "apply worker", ProcessCpu.lifetime(s.target(), Setup.NATIVE_DB,
                        "SELECT pid FROM pg_stat_subscription WHERE subname = '" + Setup.SUBSCRIPTION + "' AND pid IS NOT NULL"));
        s.enableNative(false);
        return new CatchUp(progress[0], progress[1], cpu);
    }

    private static CatchUp catchUpHelios(Setup s, Workload w, MeterRegistry meters, String id, Load load, int round)
            throws InterruptedException {
        double[] before = stages(meters);
        double jvmBefore = ProcessCpu.self();
        var threadsBefore = ProcessCpu.threads();
        s.api().action(id, "resume");
        long[] progress = Waits.progress("helios target", load.goal(),
                () -> Sql.count(s.target(), Setup.HELIOS_DB, w.progressSql()), s.waitLimit());
        System.out.println("round " + (round + 1) + ": helios JVM threads, cpu seconds: "
                + ProcessCpu.delta(threadsBefore, ProcessCpu.threads()));
        String cpu = ProcessCpu.describe(
                "walsender", ProcessCpu.lifetime(s.source(), Setup.SOURCE_DB, ProcessCpu.WALSENDERS),
                "worker JVM", ProcessCpu.self() - jvmBefore,
                "target backend", ProcessCpu.lifetime(s.target(), Setup.HELIOS_DB,
                        "SELECT pid FROM pg_stat_activity WHERE application_name LIKE 'helios-apply-%'"));
        double[] after = stages(meters);
        System.out.printf(Locale.ROOT, "round %d: helios applier spent %.0f%% of the catch-up applying, %.0f%% waiting for capture%n",
                round + 1, 100 * (after[0] - before[0]) / (progress[1] / 1e9), 100 * (after[1] - before[1]) / (progress[1] / 1e9));
        return new CatchUp(progress[0], progress[1], cpu);
    }

    static double median(List<Double> values) {
        return Stats.percentile(Stats.sorted(values), 0.5);
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
    private static void settleRestartPoints(Setup s) {
        s.enableNative(true);
        String snapshot = Sql.text(s.source(), Setup.SOURCE_DB, "SELECT pg_log_standby_snapshot()::text");
        Waits.condition(Duration.ofSeconds(60),
                () -> Sql.count(s.source(), Setup.SOURCE_DB, "SELECT count(*) FROM pg_replication_slots WHERE restart_lsn < '"
                        + snapshot + "'::pg_lsn") == 0,
                () -> "slots did not move their restart points past " + snapshot + ": " + slots(s.source()));
        s.enableNative(false);
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
}
