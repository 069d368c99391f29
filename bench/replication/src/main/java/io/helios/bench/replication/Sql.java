package io.helios.bench.replication;

import io.helios.testsupport.PostgresCluster;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The benchmarks' SQL outside the measured paths: statements, single values, table checksums,
 * and the progress probes polled while a system catches up. Probes reuse one connection per
 * database (thread-safe map; a probe connection is used by one polling thread at a time).
 */
final class Sql {

    private static final Map<String, Connection> PROBES = new ConcurrentHashMap<>();

    private Sql() {
    }

    static void exec(PostgresCluster c, String db, String... sql) {
        try (Connection conn = c.connect(db); Statement s = conn.createStatement()) {
            for (String q : sql) {
                s.execute(q);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    /** The first column of the first row as text (null when there is no row). */
    static String text(PostgresCluster c, String db, String sql) {
        try (Connection conn = c.connect(db); Statement s = conn.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    /**
     * A single-number query on a long-lived connection, -1 when it fails: progress is polled every
     * 20 ms, and a new connection (a new backend process) per poll would cost the measured systems
     * real CPU.
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
        } catch (SQLException e) {
            PROBES.remove(key);
            return -1;
        }
    }

    /**
     * Row count and an order-independent checksum of the rows {@code relation} (a table with
     * alias {@code t}, optionally with a WHERE clause) yields: the sum of each row's 64-bit text
     * hash, which unlike an md5 of {@code string_agg} needs no sort and no string of the whole
     * table. Equal on two databases when they hold the same rows (the same column types and order).
     */
    static String checksum(PostgresCluster c, String db, String relation) {
        return text(c, db, "SELECT count(*) || ' rows, sum of hashes ' || coalesce(sum(hashtextextended(t::text, 0)), 0)"
                + " FROM " + relation);
    }

    /** Fails unless the source and the targets (Helios', and native's with {@code withNative}) hold the same rows in each relation. */
    static void verifySame(Setup s, boolean withNative, String... relations) {
        for (String relation : relations) {
            String expected = checksum(s.source(), Setup.SOURCE_DB, relation);
            String helios = checksum(s.target(), Setup.HELIOS_DB, relation);
            String nat = withNative ? checksum(s.target(), Setup.NATIVE_DB, relation) : expected;
            if (!expected.equals(helios) || !expected.equals(nat)) {
                throw new IllegalStateException("targets differ from the source in " + relation + ": source " + expected
                        + "; helios " + helios + (withNative ? "; native " + nat : ""));
            }
        }
    }
}
