package io.helios.debezium;

import io.helios.core.change.TableId;
import io.helios.postgres.PgEndpoint;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What Debezium's records do not carry about a source table: its OID, its replica identity
 * and each column's type OID and modifier, read from the source catalog over a plain JDBC
 * connection and cached per table. A lookup for a column the cached entry does not know
 * (the table changed) reloads the table once.
 *
 * <p>Threading: confined to the Debezium consumer thread. Lifecycle: the connection opens on
 * first use and closes with {@link #close()}.
 */
final class SourceCatalog implements AutoCloseable {

    /** One table as the catalog describes it. */
    record Table(int oid, char replicaIdentity, Map<String, int[]> columnTypes) {

        /** {typeOid, typeMod}, or {0, -1} when the catalog has no such column. */
        int[] type(String column) {
            return columnTypes.getOrDefault(column, new int[] {0, -1});
        }
    }

    private static final String QUERY = """
            SELECT c.oid, c.relreplident, a.attname, a.atttypid, a.atttypmod
            FROM pg_class c
            JOIN pg_namespace n ON n.oid = c.relnamespace
            LEFT JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
            WHERE n.nspname = ? AND c.relname = ?
            ORDER BY a.attnum""";

    private final PgEndpoint source;
    private final Map<TableId, Table> tables = new HashMap<>();
    private Connection connection;

    SourceCatalog(PgEndpoint source) {
        this.source = source;
    }

    /** The table, reloaded when it does not know {@code column}; a placeholder when the table is gone. */
    Table table(TableId id, Iterable<String> columns) {
        Table t = tables.get(id);
        if (t == null || !knowsAll(t, columns)) {
            t = load(id).orElse(new Table(0, 'd', Map.of()));
            tables.put(id, t);
        }
        return t;
    }

    private static boolean knowsAll(Table t, Iterable<String> columns) {
        for (String c : columns) {
            if (!t.columnTypes().containsKey(c)) {
                return false;
            }
        }
        return true;
    }

    private Optional<Table> load(TableId id) {
        try {
            return query(id);
        } catch (SQLException first) {
            closeConnection();
            try {
                return query(id);
            } catch (SQLException e) {
                throw new IllegalStateException("cannot read the catalog entry of " + id + ": " + e.getMessage(), e);
            }
        }
    }

    private Optional<Table> query(TableId id) throws SQLException {
        if (connection == null || connection.isClosed()) {
            connection = source.open();
        }
        try (PreparedStatement ps = connection.prepareStatement(QUERY)) {
            ps.setString(1, id.schema());
            ps.setString(2, id.table());
            try (ResultSet rs = ps.executeQuery()) {
                Map<String, int[]> types = new HashMap<>();
                int oid = 0;
                char identity = 'd';
                boolean found = false;
                while (rs.next()) {
                    found = true;
                    oid = (int) rs.getLong(1);
                    identity = rs.getString(2).charAt(0);
                    if (rs.getString(3) != null) {
                        types.put(rs.getString(3), new int[] {(int) rs.getLong(4), rs.getInt(5)});
                    }
                }
                return found ? Optional.of(new Table(oid, identity, Map.copyOf(types))) : Optional.empty();
            }
        }
    }

    @Override
    public void close() {
        closeConnection();
    }

    private void closeConnection() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // the connection is being discarded
            }
            connection = null;
        }
    }
}
