package io.helios.stack;

import io.helios.testsupport.PostgresCluster;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/** SQL helpers for end-to-end tests. */
final class Databases {

    private Databases() {
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

    /** Several statements in one transaction. */
    static void tx(PostgresCluster c, String db, String... sql) {
        try (Connection conn = c.connect(db)) {
            conn.setAutoCommit(false);
            try (Statement s = conn.createStatement()) {
                for (String q : sql) {
                    s.execute(q);
                }
            }
            conn.commit();
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    static String scalar(PostgresCluster c, String db, String sql) {
        try (Connection conn = c.connect(db); Statement s = conn.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    /** Row count and an order-independent checksum of a query's rows. */
    static String checksum(PostgresCluster c, String db, String query) {
        return scalar(c, db, "SELECT count(*) || ':' || coalesce(md5(string_agg(x::text, '|' ORDER BY x::text)), '-')"
                + " FROM (" + query + ") x");
    }
}
