package io.helios.postgres;

import io.helios.testsupport.PostgresCluster;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/** SQL helpers for tests. */
public final class Sql {

    private Sql() {
    }

    public static void exec(PostgresCluster c, String db, String... sql) {
        try (Connection conn = c.connect(db); Statement s = conn.createStatement()) {
            for (String q : sql) {
                s.execute(q);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    public static String scalar(PostgresCluster c, String db, String sql) {
        try (Connection conn = c.connect(db); Statement s = conn.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    public static PgEndpoint endpoint(PostgresCluster c, String db) {
        return new PgEndpoint(c.jdbcUrl(db), c.user(), c.password());
    }
}
