package io.helios.migration.cutover;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Carries the tenant's sequences to the new primary during the hold: logical replication moves
 * rows, not sequence positions, so without this the first insert on the new primary would reuse a
 * key. Each target sequence of the same name moves forward to the source's position, never back
 * (a sequence shared by several tenants keeps the larger). Held writers took their values before
 * the hold stopped them, so the source's position covers every value handed out. Stateless.
 */
final class Sequences {

    private Sequences() {
    }

    /** @return how many sequences were moved forward on the target */
    static int carry(Connection source, Connection target, String sourceSchema, String targetSchema) throws SQLException {
        Map<String, Long> positions = new LinkedHashMap<>();
        try (PreparedStatement ps = source.prepareStatement("SELECT sequencename, last_value FROM pg_catalog.pg_sequences"
                + " WHERE schemaname = ? AND last_value IS NOT NULL")) {
            ps.setString(1, sourceSchema);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    positions.put(rs.getString(1), rs.getLong(2));
                }
            }
        }
        int moved = 0;
        try (PreparedStatement ps = target.prepareStatement("SELECT pg_catalog.setval(s.oid, ?, true) FROM pg_catalog.pg_class s"
                + " JOIN pg_catalog.pg_namespace n ON n.oid = s.relnamespace"
                + " JOIN pg_catalog.pg_sequences q ON q.schemaname = n.nspname AND q.sequencename = s.relname"
                + " WHERE s.relkind = 'S' AND n.nspname = ? AND s.relname = ? AND coalesce(q.last_value, q.start_value - 1) < ?")) {
            for (Map.Entry<String, Long> e : positions.entrySet()) {
                ps.setLong(1, e.getValue());
                ps.setString(2, targetSchema);
                ps.setString(3, e.getKey());
                ps.setLong(4, e.getValue());
                try (ResultSet rs = ps.executeQuery()) {
                    moved += rs.next() ? 1 : 0;
                }
            }
        }
        return moved;
    }
}
