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

    /** The lags on both targets (native's null when it is not measured). */
    private record Measured(CommitLag.Lags helios, CommitLag.Lags nat, long transactions) {
    }

    private LagBench() {
    }

    static void run(Setup s, Workload w, int rate, int warmupSeconds, int seconds, boolean withNative) throws Exception {
        String id = w.start(s, withNative);
        String fromLsn = CommitLag.holdWal(s.target());
        try {
            Load load = w.steady(s, rate, warmupSeconds, seconds);
            String late = awaitBoth(s, id, w, load, withNative);
            long intervalMicros = Math.max(1, seconds / 12) * 1_000_000L;
            Measured m = measure(s, w, load, fromLsn, intervalMicros, withNative);
            describe(w, load, rate, warmupSeconds, m, intervalMicros);
            if (late != null) {
                throw new IllegalStateException(late + "; the percentiles above are lower bounds");
            }
            w.verify(s, withNative);
            System.out.println("targets verified: same rows as the source in every table");
            print(w, m, load.transactions() / load.windowSeconds(), load.rowChanges() / load.windowSeconds());
        } finally {
            CommitLag.release(s.target());
        }
    }

    /**
     * Waits, within the limit from the load's end, until both targets have applied the whole
     * load; stops a system that has not (so that what its target holds stays put while it is
     * read) and returns what it had not applied, or null.
     */
    private static String awaitBoth(Setup s, String heliosId, Workload w, Load load, boolean withNative)
            throws InterruptedException {
        long loadEnd = System.nanoTime();
        long deadline = loadEnd + s.waitLimit().toNanos();
        String nativeLate = withNative ? awaitCaughtUp(s, Setup.NATIVE_DB, "native", w, load, deadline) : null;
        long nativeDone = System.nanoTime();
        String heliosLate = awaitCaughtUp(s, Setup.HELIOS_DB, "helios", w, load, deadline);
        System.out.printf(Locale.ROOT, "after the load: native %s within %.1f s, helios %s within %.1f s%n",
                nativeLate == null ? "caught up" : "not caught up", (nativeDone - loadEnd) / 1e9,
                heliosLate == null ? "caught up" : "not caught up", (System.nanoTime() - loadEnd) / 1e9);
        if (heliosLate != null) {
            s.api().action(heliosId, "pause");
            Waits.condition(Duration.ofSeconds(60), () -> "PAUSED".equals(s.api().status(heliosId).get("phase")),
                    () -> "replication did not pause: " + s.api().status(heliosId));
        }
        if (nativeLate != null) {
            s.enableNative(false);
            Waits.condition(Duration.ofSeconds(60), () -> Sql.count(s.target(), Setup.NATIVE_DB,
                    "SELECT count(*) FROM pg_stat_subscription WHERE pid IS NOT NULL") == 0, () -> "native apply worker did not stop");
        }
        return heliosLate != null ? heliosLate : nativeLate;
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

    private static Measured measure(Setup s, Workload w, Load load, String fromLsn, long intervalMicros, boolean withNative)
            throws Exception {
        long now = Clock.micros();
        Map<Long, Long> source = CommitLag.sourceCommits(s.source(), Setup.SOURCE_DB, w.sourceCommitsSql(),
                load.windowStartMicros(), load.windowEndMicros());
        long readStart = System.nanoTime();
        Map<Long, Long> commits = CommitLag.targetCommits(s.target(), fromLsn);
        System.out.printf(Locale.ROOT, "target WAL: %d commit records read in %.1f s%n", commits.size(),
                (System.nanoTime() - readStart) / 1e9);
        CommitLag.Lags helios = CommitLag.on(s.target(), Setup.HELIOS_DB, w.targetRowsSql(), source, commits, now,
                load.windowStartMicros(), intervalMicros);
        CommitLag.Lags nat = withNative ? CommitLag.on(s.target(), Setup.NATIVE_DB, w.targetRowsSql(), source, commits, now,
                load.windowStartMicros(), intervalMicros) : null;
        return new Measured(helios, nat, source.size());
    }

    private static void describe(Workload w, Load load, int rate, int warmupSeconds, Measured m, long intervalMicros) {
        // the rate is asked in rows/s for insert, in transactions/s for the OLTP workloads
        String unit = w.perTransaction() ? "tx/s" : "rows/s";
        double achieved = (w.perTransaction() ? load.transactions() : load.rowChanges()) / load.windowSeconds();
        if (achieved < 0.9 * rate) {
            System.out.printf(Locale.ROOT, "note: %d %s asked, the source committed %.0f %s (its clients wait on commits:"
                    + " fsync latency and, for oltp, the hot branch rows held until commit)%n", rate, unit, achieved, unit);
        }
        System.out.printf(Locale.ROOT, "measured %d transactions of %d committed in %.0f s after a %d s warm-up%n",
                m.transactions(), load.transactions(), load.windowSeconds(), warmupSeconds);
        System.out.println("target rows whose pg_xact_commit_timestamp is the source's / the local commit time in the WAL:"
                + " helios " + m.helios().originTimestamps() + " / " + m.helios().localTimestamps()
                + (m.nat() == null ? "" : ", native " + m.nat().originTimestamps() + " / " + m.nat().localTimestamps()));
        detail("helios", m.helios());
        if (m.nat() != null) {
            detail("native", m.nat());
        }
        System.out.println("lag p99 ms per " + intervalMicros / 1_000_000 + " s of the run: helios [" + m.helios().p99ByInterval()
                + "]" + (m.nat() == null ? "" : " native [" + m.nat().p99ByInterval() + "]"));
    }

    private static void detail(String system, CommitLag.Lags lags) {
        List<Double> ms = lags.sortedMs();
        System.out.printf(Locale.ROOT, "%s lag ms: p50 %.1f p90 %.1f p99 %.1f p99.9 %.1f max %.1f over %d transactions%s%n",
                system, Stats.percentile(ms, 0.5), Stats.percentile(ms, 0.9), Stats.percentile(ms, 0.99),
                Stats.percentile(ms, 0.999), Stats.percentile(ms, 1.0), ms.size(),
                lags.notApplied() == 0 ? "" : " (" + lags.notApplied() + " not applied: lower bounds)");
    }

    private static void print(Workload w, Measured m, double txPerSecond, double rowsPerSecond) {
        double h50 = p(m.helios(), 0.50);
        double h99 = p(m.helios(), 0.99);
        if (m.nat() == null) {
            System.out.printf(Locale.ROOT, "lag %s helios p50 ms: %.1f p99 ms: %.1f at %.0f tx/s%n", w.name(), h50, h99, txPerSecond);
        } else {
            System.out.printf(Locale.ROOT, "lag %s helios p50 ms: %.1f p99 ms: %.1f native p50 ms: %.1f p99 ms: %.1f at %.0f tx/s%n",
                    w.name(), h50, h99, p(m.nat(), 0.50), p(m.nat(), 0.99), txPerSecond);
        }
        if (!w.perTransaction()) {
            // today's last line of the insert run: Helios' lag at the row rate
            System.out.println(String.format(Locale.ROOT, "lag p50 ms: %.1f p99 ms: %.1f at %.0f rows/s", h50, h99, rowsPerSecond));
        } else if (m.nat() != null) {
            System.out.println(String.format(Locale.ROOT, "%s lag p99 ratio: %.2f", w.name(), h99 / p(m.nat(), 0.99)));
        }
    }

    private static double p(CommitLag.Lags lags, double p) {
        return Stats.percentile(lags.sortedMs(), p);
    }
}
