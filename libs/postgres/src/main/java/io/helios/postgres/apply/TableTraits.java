package io.helios.postgres.apply;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;

/**
 * What set-based apply needs to know about a target table beyond its source relation: each
 * column's type as the target declares it (values travel as text arrays and are cast to it), and
 * whether rows may be applied in any order. They may not when the target has a unique or exclusion
 * constraint other than the replicated key: two rows can then trade a value, and only the source's
 * order gets through the intermediate states without a violation. Read from the target's catalog
 * once per table shape; immutable.
 *
 * @param types         target type of each relation column, by position (null when the target lacks the column)
 * @param reorderSafe   no unique or exclusion index other than one on exactly the key columns
 */
record TableTraits(String[] types, boolean reorderSafe) {

    private static final String TYPES = "SELECT a.attname, format_type(a.atttypid, a.atttypmod) FROM pg_attribute a"
            + " WHERE a.attrelid = ?::regclass AND a.attnum > 0 AND NOT a.attisdropped";

    /**
     * Unique or exclusion indexes that are not a plain unique index on exactly the key columns
     * (partial and expression indexes, and INCLUDE columns, count as other constraints).
     */
    private static final String OTHER_UNIQUE = "SELECT count(*) FROM pg_index i WHERE i.indrelid = ?::regclass"
            + " AND (i.indisunique OR i.indisexclusion) AND NOT (NOT i.indisexclusion AND i.indexprs IS NULL"
            + " AND i.indpred IS NULL AND i.indnatts = i.indnkeyatts AND i.indnkeyatts = cardinality(?::text[])"
            + " AND NOT EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = i.indrelid"
            + " AND a.attnum = ANY (i.indkey::int2[]) AND a.attname::text <> ALL (?::text[])))";

    static TableTraits read(Connection c, TargetTable t) throws SQLException {
        Map<String, String> byName = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement(TYPES)) {
            ps.setString(1, t.target().quoted());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    byName.put(rs.getString(1), rs.getString(2));
                }
            }
        }
        String[] types = new String[t.width()];
        boolean complete = true;
        for (int i = 0; i < types.length; i++) {
            types[i] = byName.get(t.relation().columns().get(i).name());
            complete &= types[i] != null;
        }
        return new TableTraits(types, complete && onlyKeyUnique(c, t));
    }

    private static boolean onlyKeyUnique(Connection c, TargetTable t) throws SQLException {
        Object[] key = t.keyPositions().stream().map(i -> t.relation().columns().get(i).name()).toArray();
        try (PreparedStatement ps = c.prepareStatement(OTHER_UNIQUE)) {
            ps.setString(1, t.target().quoted());
            ps.setArray(2, c.createArrayOf("text", key));
            ps.setArray(3, c.createArrayOf("text", key));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1) == 0;
            }
        }
    }

    String type(int position) {
        return types[position];
    }
}
