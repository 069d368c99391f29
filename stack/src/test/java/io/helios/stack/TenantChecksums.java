package io.helios.stack;

import io.helios.testsupport.PostgresCluster;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a tenant's tables hold, per table, as {@code rows:md5}: the md5 of every row's text, sorted
 * and hashed again, so the figure does not depend on physical order and a missing, extra or
 * different row changes it. Compared between source and target to prove a replica equal.
 */
final class TenantChecksums {

    private TenantChecksums() {
    }

    /** The checksum of every ordinary table of {@code schema} on {@code db}, by table name. */
    static Map<String, String> of(PostgresCluster cluster, String db, String schema) {
        try (Connection c = cluster.connect(db)) {
            Map<String, String> out = new TreeMap<>();
            for (String table : tables(c, schema)) {
                out.put(table, checksum(c, schema, table));
            }
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot checksum " + schema + " on " + db + ": " + e.getMessage(), e);
        }
    }

    private static List<String> tables(Connection c, String schema) throws SQLException {
        List<String> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT relname FROM pg_class"
                + " WHERE relnamespace = to_regnamespace(?) AND relkind IN ('r', 'p') ORDER BY relname")) {
            ps.setString(1, quote(schema));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        }
        return out;
    }

    private static String checksum(Connection c, String schema, String table) throws SQLException {
        String sql = "SELECT count(*) || ':' || coalesce(md5(string_agg(h, '' ORDER BY h)), '-')"
                + " FROM (SELECT md5(t::text) AS h FROM " + quote(schema) + "." + quote(table) + " t) x";
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static String quote(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }
}
