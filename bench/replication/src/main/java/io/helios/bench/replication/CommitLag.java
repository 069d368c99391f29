package io.helios.bench.replication;

import io.helios.testsupport.PostgresCluster;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Lag of each source transaction, measured the same way for every target: the local commit time
 * of the target transaction that wrote the transaction's row, minus the source commit time of
 * that row ({@code pg_xact_commit_timestamp(xmin)} on the source; both clusters run on this host
 * and share its clock).
 * <p>
 * The target side cannot use {@code pg_xact_commit_timestamp}: a native apply worker commits
 * with its replication origin's timestamp, so on the subscriber that function answers the
 * <em>source's</em> commit time (a lag of zero). The commit record in the target's WAL keeps the
 * local time, so it is read from there with {@code pg_walinspect}, from a physical slot made
 * before the load that keeps the target's WAL until it has been read.
 */
final class CommitLag {

    private static final String SLOT = "bench_commit_times";

    /**
     * Lags (ms, sorted) of the measured transactions on a target, how many were not applied, and
     * how many rows' {@code pg_xact_commit_timestamp} on the target equals the source's commit time
     * ({@code originTimestamps}) or the local one from the WAL ({@code localTimestamps}), and the
     * p99 of each interval of the run by source commit time ({@code p99ByInterval}, ms).
     */
    record Lags(List<Double> sortedMs, long notApplied, long originTimestamps, long localTimestamps, String p99ByInterval) {
    }

    private CommitLag() {
    }

    /** Keeps the target cluster's WAL from now on; returns the LSN its commit records are read from. */
    static String holdWal(PostgresCluster target) {
        Sql.exec(target, "postgres", "CREATE EXTENSION IF NOT EXISTS pg_walinspect");
        return Sql.text(target, "postgres", "SELECT lsn::text FROM pg_create_physical_replication_slot('" + SLOT + "', true)");
    }

    static void release(PostgresCluster target) {
        Sql.exec(target, "postgres", "SELECT pg_drop_replication_slot('" + SLOT + "')");
    }

    /** Local commit time (µs since the epoch) of every transaction, subtransactions included, committed on the target since {@code fromLsn}. */
    static Map<Long, Long> targetCommits(PostgresCluster target, String fromLsn) throws SQLException {
        Map<Long, Long> out = new HashMap<>();
        try (Connection c = target.connect("postgres"); Statement s = c.createStatement()) {
            flushWal(s);
            readCommits(s, fromLsn, out);
        }
        return out;
    }

    /**
     * Flushes the target's WAL up to now: both appliers commit with {@code synchronous_commit = off},
     * so their last commit records may not be on disk yet, and {@code pg_walinspect} reads only
     * flushed WAL. (A commit of a transaction that wrote no WAL is asynchronous, so it takes a
     * record that asks for the flush itself.)
     */
    private static void flushWal(Statement s) throws SQLException {
        s.execute("SELECT pg_logical_emit_message(false, 'helios-bench', 'flush', true)");
    }

    private static void readCommits(Statement s, String fromLsn, Map<Long, Long> out) throws SQLException {
        // the record's description starts with its own (local) commit time; the origin's follows after "origin:"
        try (ResultSet rs = s.executeQuery("SELECT xid::text::bigint,"
                     + " (extract(epoch FROM split_part(description, ';', 1)::timestamptz) * 1000000)::bigint,"
                     + " substring(description FROM 'subxacts:([0-9 ]+)')"
                     + " FROM pg_get_wal_records_info('" + fromLsn + "', pg_current_wal_flush_lsn())"
                     + " WHERE resource_manager = 'Transaction' AND record_type = 'COMMIT'")) {
            while (rs.next()) {
                long at = rs.getLong(2);
                out.put(rs.getLong(1), at);
                String subxacts = rs.getString(3);
                if (subxacts != null) {
                    for (String xid : subxacts.trim().split(" +")) {
                        out.put(Long.parseLong(xid), at);
                    }
                }
            }
        }
    }

    /** What the WAL holds about one xid, for the failure message. */
    private static String walRecordsOf(PostgresCluster target, long xid) {
        try (Connection c = target.connect("postgres"); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT string_agg(start_lsn || ' ' || resource_manager || '/' || record_type || ' '"
                     + " || left(description, 120), ' | ') FROM pg_get_wal_records_info("
                     + "(SELECT restart_lsn FROM pg_replication_slots WHERE slot_name = '" + SLOT + "'), pg_current_wal_flush_lsn())"
                     + " WHERE xid::text::bigint = " + xid + " OR description LIKE '%" + xid + "%'")) {
            rs.next();
            return "its WAL records: " + rs.getString(1);
        } catch (SQLException e) {
            return "its WAL records could not be read: " + e.getMessage();
        }
    }

    /** Source commit time (µs) of each measured row committed inside [fromMicros, toMicros); rows with no commit time are left out and counted. */
    static Map<Long, Long> sourceCommits(PostgresCluster source, String db, String sql, long fromMicros, long toMicros)
            throws SQLException {
        Map<Long, Long> out = new HashMap<>();
        long unknown = 0;
        try (Connection c = source.connect(db); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                long at = rs.getLong(2);
                if (rs.wasNull()) {
                    unknown++;
                } else if (at >= fromMicros && at < toMicros) {
                    out.put(rs.getLong(1), at);
                }
            }
        }
        if (unknown > 0) {
            System.out.println("source: " + unknown + " rows without a commit timestamp (frozen) left out");
        }
        return out;
    }

    /**
     * Lags on one target database. Fails if a row found there has no commit record in the WAL
     * read (the measurement would be incomplete). A row not on the target (yet) counts as not
     * applied, with its lag so far (to {@code nowMicros}): the percentiles are then lower bounds.
     * Intervals of {@code intervalMicros} count from {@code fromMicros}.
     */
    static Lags on(PostgresCluster target, String db, String rowsSql, Map<Long, Long> source, Map<Long, Long> commits,
                   long nowMicros, long fromMicros, long intervalMicros) throws SQLException {
        List<Double> lags = new ArrayList<>(source.size());
        Map<Long, List<Double>> intervals = new TreeMap<>();
        Map<Long, Long> pending = new HashMap<>(source);
        long origin = 0;
        long local = 0;
        try (Connection c = target.connect(db); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(rowsSql)) {
            while (rs.next()) {
                Long sourceAt = pending.remove(rs.getLong(1));
                if (sourceAt == null) {
                    continue;
                }
                Long targetAt = commits.get(rs.getLong(2));
                if (targetAt == null) {
                    throw new IllegalStateException(db + ": no commit record in the WAL read for xid " + rs.getLong(2)
                            + " (row " + rs.getLong(1) + "); " + walRecordsOf(target, rs.getLong(2)));
                }
                if (rs.getLong(3) == sourceAt) {
                    origin++;
                } else if (rs.getLong(3) == targetAt) {
                    local++;
                }
                double lag = (targetAt - sourceAt) / 1000.0;
                lags.add(lag);
                intervals.computeIfAbsent((sourceAt - fromMicros) / intervalMicros, k -> new ArrayList<>()).add(lag);
            }
        }
        pending.values().forEach(sourceAt -> {
            double lag = (nowMicros - sourceAt) / 1000.0;
            lags.add(lag);
            intervals.computeIfAbsent((sourceAt - fromMicros) / intervalMicros, k -> new ArrayList<>()).add(lag);
        });
        String p99s = intervals.values().stream()
                .map(l -> String.format(Locale.ROOT, "%.0f", Stats.percentile(Stats.sorted(l), 0.99)))
                .collect(Collectors.joining(" "));
        return new Lags(Stats.sorted(lags), pending.size(), origin, local, p99s);
    }
}
