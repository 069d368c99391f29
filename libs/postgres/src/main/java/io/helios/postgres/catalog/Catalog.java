package io.helios.postgres.catalog;

import io.helios.core.change.TableId;
import io.helios.core.tenant.TenantScope;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Reads table definitions from {@code pg_catalog}. Stateless; runs on the caller's connection. */
public final class Catalog {

    private static final String TABLES = "SELECT n.nspname, c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
            + " WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition AND n.nspname NOT IN ('pg_catalog', 'information_schema', 'helios')"
            + " AND n.nspname NOT LIKE 'pg\\_%' ORDER BY 1, 2";

    private static final String COLUMNS = "SELECT a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull,"
            + " coalesce(a.attnum = ANY (i.indkey), false), c.relreplident FROM pg_attribute a"
            + " JOIN pg_class c ON c.oid = a.attrelid"
            + " LEFT JOIN pg_index i ON i.indrelid = c.oid AND i.indisprimary"
            + " WHERE a.attrelid = ?::regclass AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum";

    private Catalog() {
    }

    /** The ordinary and partitioned tables the scope includes, sorted by schema and name. */
    public static List<TableDef> tables(Connection c, TenantScope scope) throws SQLException {
        List<TableId> ids = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(TABLES); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                if (scope.includes(rs.getString(1), rs.getString(2))) {
                    ids.add(new TableId(rs.getString(1), rs.getString(2)));
                }
            }
        }
        List<TableDef> out = new ArrayList<>(ids.size());
        for (TableId id : ids) {
            table(c, id).ifPresent(out::add);
        }
        return out;
    }

    /** The names of the tables the scope includes, as {@link #tables} lists them, without reading their definitions. */
    public static List<TableId> tableIds(Connection c, TenantScope scope) throws SQLException {
        List<TableId> ids = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(TABLES); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                if (scope.includes(rs.getString(1), rs.getString(2))) {
                    ids.add(new TableId(rs.getString(1), rs.getString(2)));
                }
            }
        }
        return ids;
    }

    /** The table's definition, or empty when no ordinary or partitioned table of that name exists. */
    public static Optional<TableDef> table(Connection c, TableId id) throws SQLException {
        if (!exists(c, id)) {
            return Optional.empty();
        }
        List<ColumnDef> columns = new ArrayList<>();
        Map<String, Boolean> pk = new LinkedHashMap<>();
        char identity = 'd';
        try (PreparedStatement ps = c.prepareStatement(COLUMNS)) {
            ps.setString(1, id.quoted());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    columns.add(new ColumnDef(rs.getString(1), rs.getString(2), rs.getBoolean(3)));
                    if (rs.getBoolean(4)) {
                        pk.put(rs.getString(1), true);
                    }
                    identity = rs.getString(5).charAt(0);
                }
            }
        }
        return Optional.of(new TableDef(id, columns, primaryKeyInOrder(c, id, pk.keySet()), identity));
    }

    private static List<String> primaryKeyInOrder(Connection c, TableId id, Set<String> names) throws SQLException {
        if (names.isEmpty()) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT a.attname FROM pg_index i"
                + " CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY k(attnum, ord)"
                + " JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum"
                + " WHERE i.indrelid = ?::regclass AND i.indisprimary ORDER BY k.ord")) {
            ps.setString(1, id.quoted());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        }
        return out;
    }

    public static boolean exists(Connection c, TableId id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                + " WHERE n.nspname = ? AND c.relname = ? AND c.relkind IN ('r', 'p')")) {
            ps.setString(1, id.schema());
            ps.setString(2, id.table());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** The SQL name of a type, as {@code format_type} prints it. */
    public static String typeName(Connection c, int typeOid, int typeMod) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT format_type(?, ?)")) {
            ps.setInt(1, typeOid);
            if (typeMod < 0) {
                ps.setNull(2, Types.INTEGER);
            } else {
                ps.setInt(2, typeMod);
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        }
    }
}
