package io.helios.bench.replication;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Steady-state lag: with Helios and native replication both running on the same clusters, a
 * workload writes at a fixed rate for a warm-up and then the measured seconds; once both targets
 * have caught up, each measured source transaction's lag is read from the commit times of its
 * row on the source and on each target ({@link CommitLag}). Prints one comparison line, then the
 * workload's last line: for insert today's {@code lag p50 ms: ... at ... rows/s} (Helios), for the
 * OLTP workloads {@code <workload> lag p99 ratio: X} (Helios p99 / native p99).
 */
final class LagBench {

    private LagBench() {
    }

    static void run(Setup s, Workload w, int rate, int warmupSeconds, int seconds, boolean withNative) throws Exception {
        String id = w.start(s, withNative);
        String fromLsn = CommitLag.holdWal(s.target());
        try {
            Load load = w.steady(s, rate, warmupSeconds, seconds);
            long loadEnd = System.nanoTime();
            long deadline = loadEnd + s.waitLimit().toNanos();
            String nativeLate = withNative ? awaitCaughtUp(s, Setup.NATIVE_DB, "native", w, load, deadline) : null;
            long nativeDone = System.nanoTime();
            String heliosLate = awaitCaughtUp(s, Setup.HELIOS_DB, "helios", w, load, deadline);
            stopLate(s, id, heliosLate, nativeLate);
            long now = Clock.micros();
            System.out.printf(Locale.ROOT, "after the load: native %s within %.1f s, helios %s within %.1f s%n",
                    nativeLate == null ? "caught up" : "not caught up", (nativeDone - loadEnd) / 1e9,
                    heliosLate == null ? "caught up" : "not caught up", (System.nanoTime() - loadEnd) / 1e9);

            Map<Long, Long> source = CommitLag.sourceCommits(s.source(), Setup.SOURCE_DB, w.sourceCommitsSql(),
                    load.windowStartMicros(), load.windowEndMicros());
            long readStart = System.nanoTime();
            Map<Long, Long> commits = CommitLag.targetCommits(s.target(), fromLsn);
            System.out.printf(Locale.ROOT, "target WAL: %d commit records read in %.1f s%n", commits.size(),
                    (System.nanoTime() - readStart) / 1e9);
            long interval = Math.max(1, seconds / 12) * 1_000_000L;
            CommitLag.Lags helios = CommitLag.on(s.target(), Setup.HELIOS_DB, w.targetRowsSql(), source, commits, now,
                    load.windowStartMicros(), interval);
            CommitLag.Lags nat = withNative ? CommitLag.on(s.target(), Setup.NATIVE_DB, w.targetRowsSql(), source, commits, now,
                    load.windowStartMicros(), interval) : null;
            double achieved = load.transactions() / load.windowSeconds();
            double asked = w.perTransaction() ? rate : rate / (double) Math.max(1, load.rowChanges() / Math.max(1, load.transactions()));
            if (achieved < 0.9 * asked) {
                System.out.printf(Locale.ROOT, "note: %.0f tx/s asked, the source committed %.0f tx/s (its clients wait on commits:"
                        + " fsync latency and, for oltp, the hot branch rows held until commit)%n", asked, achieved);
            }
            System.out.printf(Locale.ROOT, "measured %d transactions of %d committed in %.0f s after a %d s warm-up%n",
                    source.size(), load.transactions(), load.windowSeconds(), warmupSeconds);
            System.out.println("target rows whose pg_xact_commit_timestamp is the source's / the local commit time in the WAL:"
                    + " helios " + helios.originTimestamps() + " / " + helios.localTimestamps()
                    + (nat == null ? "" : ", native " + nat.originTimestamps() + " / " + nat.localTimestamps()));
            detail("helios", helios);
            if (nat != null) {
                detail("native", nat);
            }
            System.out.println("lag p99 ms per " + interval / 1_000_000 + " s of the run: helios [" + helios.p99ByInterval() + "]"
                    + (nat == null ? "" : " native [" + nat.p99ByInterval() + "]"));
            if (heliosLate != null || nativeLate != null) {
                throw new IllegalStateException((heliosLate != null ? heliosLate : nativeLate)
                        + "; the percentiles above are lower bounds");
            }
            w.verify(s, withNative);
            System.out.println("targets verified: same rows as the source in every table");
            print(w, helios, nat, achieved, load.rowChanges() / load.windowSeconds());
        } finally {
            CommitLag.release(s.target());
        }
    }

    private static void print(Workload w, CommitLag.Lags helios, CommitLag.Lags nat, double txPerSecond, double rowsPerSecond) {
        double h50 = p(helios, 0.50);
        double h99 = p(helios, 0.99);
        if (nat == null) {
            System.out.printf(Locale.ROOT, "lag %s helios p50 ms: %.1f p99 ms: %.1f at %.0f tx/s%n", w.name(), h50, h99, txPerSecond);
        } else {
            System.out.printf(Locale.ROOT, "lag %s helios p50 ms: %.1f p99 ms: %.1f native p50 ms: %.1f p99 ms: %.1f at %.0f tx/s%n",
                    w.name(), h50, h99, p(nat, 0.50), p(nat, 0.99), txPerSecond);
        }
        if (!w.perTransaction()) {
            // today's last line of the insert run: Helios' lag at the row rate
            System.out.println(String.format(Locale.ROOT, "lag p50 ms: %.1f p99 ms: %.1f at %.0f rows/s", h50, h99, rowsPerSecond));
        } else if (nat != null) {
            System.out.println(String.format(Locale.ROOT, "%s lag p99 ratio: %.2f", w.name(), h99 / p(nat, 0.99)));
        }
    }

    private static void detail(String system, CommitLag.Lags lags) {
        List<Double> ms = lags.sortedMs();
        System.out.printf(Locale.ROOT, "%s lag ms: p50 %.1f p90 %.1f p99 %.1f p99.9 %.1f max %.1f over %d transactions%s%n",
                system, Stats.percentile(ms, 0.5), Stats.percentile(ms, 0.9), Stats.percentile(ms, 0.99),
                Stats.percentile(ms, 0.999), Stats.percentile(ms, 1.0), ms.size(),
                lags.notApplied() == 0 ? "" : " (" + lags.notApplied() + " not applied: lower bounds)");
    }

    private static double p(CommitLag.Lags lags, double p) {
        return Stats.percentile(lags.sortedMs(), p);
    }

    /**
     * Stops a system that did not catch up, so that what its target holds stays put while it is
     * read: the rows found there and their commit records in the WAL must match.
     */
    private static void stopLate(Setup s, String heliosId, String heliosLate, String nativeLate) {
        if (heliosLate != null) {
            s.api().action(heliosId, "pause");
            Waits.condition(Duration.ofSeconds(60), () -> "PAUSED".equals(s.api().status(heliosId).get("phase")),
                    () -> "replication did not pause: " + s.api().status(heliosId));
        }
        if (nativeLate != null) {
            s.enableNative(false);
            Waits.condition(Duration.ofSeconds(60), () -> Sql.count(s.target(), Setup.NATIVE_DB,
                            "SELECT count(*) FROM pg_stat_subscription WHERE pid IS NOT NULL") == 0,
                    () -> "native apply worker did not stop");
        }
    }

    /** Waits until a target has applied the whole load; null when it has, else what it had not applied by the deadline. */
    private static String awaitCaughtUp(Setup s, String db, String system, Workload w, Load load, long deadline)
            throws InterruptedException {
        Duration left = Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
        try {
            Waits.progress(system + " target", load.goal(), () -> Sql.count(s.target(), db, w.progressSql()), left);
            return null;
        } catch (IllegalStateException e) {
            return e.getMessage() + " after the load ended";
        }
    }
}
