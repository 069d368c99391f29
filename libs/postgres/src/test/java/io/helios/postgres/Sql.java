package io.helios.postgres;

import io.helios.core.change.Column;
import io.helios.core.change.Relation;
import io.helios.core.change.RowImage;
import io.helios.core.change.TableId;
import io.helios.testsupport.PostgresCluster;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/** SQL helpers for tests: statements, scalars, and change-model objects read from a real source table. */
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
        List<String> col = column(c, db, sql);
        return col.isEmpty() ? null : col.get(0);
    }

    /** The first column of every row, as text. */
    public static List<String> column(PostgresCluster c, String db, String sql) {
        List<String> out = new ArrayList<>();
        try (Connection conn = c.connect(db); Statement s = conn.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    public static PgEndpoint endpoint(PostgresCluster c, String db) {
        return new PgEndpoint(c.jdbcUrl(db), c.user(), c.password());
    }

    /**
     * The relation pgoutput would send for a real table: its OID, columns with type OID and
     * modifier, identity flags (every column under REPLICA IDENTITY FULL, else the primary key).
     */
    public static Relation relationOf(PostgresCluster c, String db, TableId table) {
        String sql = "SELECT cl.oid::int, a.attname, a.atttypid::int, a.atttypmod, cl.relreplident::text,"
                + " coalesce(a.attnum = ANY (i.indkey), false) FROM pg_attribute a JOIN pg_class cl ON cl.oid = a.attrelid"
                + " LEFT JOIN pg_index i ON i.indrelid = cl.oid AND i.indisprimary"
                + " WHERE a.attrelid = ?::regclass AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum";
        try (Connection conn = c.connect(db); PreparedStatement ps = conn.prepareStatement(sql)) {
            ps.setString(1, table.quoted());
            List<Column> cols = new ArrayList<>();
            int oid = 0;
            char identity = 'd';
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    oid = rs.getInt(1);
                    identity = rs.getString(5).charAt(0);
                    cols.add(new Column(rs.getString(2), rs.getInt(3), rs.getInt(4), identity == 'f' || rs.getBoolean(6)));
                }
            }
            return new Relation(oid, table, cols, identity);
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    /** Every row of a query as a row image of the values' text forms, as pgoutput sends them. */
    public static List<RowImage> images(PostgresCluster c, String db, String query) {
        List<RowImage> out = new ArrayList<>();
        try (Connection conn = c.connect(db); Statement s = conn.createStatement(); ResultSet rs = s.executeQuery(query)) {
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                String[] values = new String[n];
                for (int i = 0; i < n; i++) {
                    values[i] = rs.getString(i + 1);
                }
                out.add(RowImage.of(values));
            }
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }
}
