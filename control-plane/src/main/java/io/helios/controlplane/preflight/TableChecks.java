package io.helios.controlplane.preflight;

import io.helios.core.change.TableId;
import io.helios.core.tenant.TenancyModel;
import io.helios.core.tenant.TenantScope;
import io.helios.postgres.tenant.Discriminator;
import io.helios.postgres.tenant.InvalidTenantIdException;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Table-level preflight checks of a tenant on its source: every tenant table must identify its
 * rows (primary key, replica identity index, or REPLICA IDENTITY FULL), and for the ROW model
 * the discriminator column must exist and be part of the replica identity, which PostgreSQL
 * 15 row filters require for UPDATE and DELETE, and the tenant id must be a value of the column's
 * type on every table (it is compared typed, see {@link Discriminator}). Stateless.
 */
final class TableChecks {

    private static final int LISTED = 10;

    private static final String TABLES = """
            SELECT n.nspname, c.relname, c.relreplident,
                   (SELECT array_agg(a.attname::text) FROM pg_index i
                      JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey)
                     WHERE i.indrelid = c.oid
                       AND ((c.relreplident = 'd' AND i.indisprimary) OR (c.relreplident = 'i' AND i.indisreplident))),
                   EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = ?
                             AND a.attnum > 0 AND NOT a.attisdropped)
              FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
             WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition
             ORDER BY 1, 2
            """;

    private TableChecks() {
    }

    private record Table(String schema, String name, char identity, List<String> identityColumns, boolean hasColumn) {

        String qualified() {
            return schema + "." + name;
        }

        boolean identifiesRows() {
            return identity == 'f' || !identityColumns.isEmpty();
        }

        boolean covers(String column) {
            return identity == 'f' || identityColumns.contains(column);
        }
    }

    /** @param tenantGiven whether the scope names a real tenant (the tenant id's checks run only then) */
    static List<Check> run(Connection c, TenantScope scope, boolean tenantGiven) throws SQLException {
        List<Table> tables = tenantTables(c, scope);
        List<Check> checks = new ArrayList<>();
        if (tables.isEmpty()) {
            checks.add(Check.warn("tenant_tables", "no table of the tenant found"
                    + (scope.model() == TenancyModel.DATABASE ? "" : " in schema " + scope.sourceSchema())));
            return checks;
        }
        checks.add(Check.ok("tenant_tables", tables.size() + " table(s) of the tenant found"));
        checks.add(replicaIdentity(tables));
        if (scope.model() == TenancyModel.ROW) {
            checks.add(discriminator(tables, scope.discriminatorColumn()));
            if (tenantGiven) {
                checks.add(tenantValue(c, tables, scope));
            }
        }
        return checks;
    }

    private static Check replicaIdentity(List<Table> tables) {
        List<String> missing = tables.stream().filter(t -> !t.identifiesRows()).map(Table::qualified).toList();
        if (missing.isEmpty()) {
            return Check.ok("replica_identity", "every tenant table has a primary key or replica identity");
        }
        return Check.fail("replica_identity", "without primary key or replica identity (UPDATE and DELETE cannot be "
                + "replicated): " + list(missing) + "; add a primary key or ALTER TABLE ... REPLICA IDENTITY FULL");
    }

    private static Check discriminator(List<Table> tables, String column) {
        List<String> absent = tables.stream().filter(t -> !t.hasColumn()).map(Table::qualified).toList();
        if (!absent.isEmpty()) {
            return Check.fail("discriminator_column", "column " + column + " missing in: " + list(absent));
        }
        List<String> uncovered = tables.stream().filter(t -> t.identifiesRows() && !t.covers(column))
                .map(Table::qualified).toList();
        if (!uncovered.isEmpty()) {
            return Check.fail("discriminator_column", "column " + column + " is not part of the replica identity of: "
                    + list(uncovered) + " (row filters need it for UPDATE and DELETE): include it in the primary key "
                    + "or replica identity index, or use REPLICA IDENTITY FULL");
        }
        return Check.ok("discriminator_column", "column " + column + " present and covered by the replica identity");
    }

    /** The tenant id cast to the discriminator's type of every table that has the column, by the server. */
    private static Check tenantValue(Connection c, List<Table> tables, TenantScope scope) throws SQLException {
        List<TableId> ids = tables.stream().filter(Table::hasColumn).map(t -> new TableId(t.schema(), t.name())).toList();
        try {
            String compared = Discriminator.all(c, ids, scope).values().stream()
                    .map(d -> d.typeName() + " " + d.value()).distinct().collect(Collectors.joining(", "));
            return Check.ok("discriminator_value", "tenant id '" + scope.tenantId() + "' is compared as the " + compared
                    + " (PostgreSQL's equality of the column type)");
        } catch (InvalidTenantIdException e) {
            return Check.fail("discriminator_value", e.getMessage());
        }
    }

    private static List<Table> tenantTables(Connection c, TenantScope scope) throws SQLException {
        List<Table> tables = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(TABLES)) {
            ps.setString(1, scope.discriminatorColumn() == null ? "" : scope.discriminatorColumn());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    if (scope.includes(rs.getString(1), rs.getString(2))) {
                        tables.add(new Table(rs.getString(1), rs.getString(2), rs.getString(3).charAt(0),
                                columns(rs.getArray(4)), rs.getBoolean(5)));
                    }
                }
            }
        }
        return tables;
    }

    private static List<String> columns(Array array) throws SQLException {
        return array == null ? List.of() : Arrays.asList((String[]) array.getArray());
    }

    private static String list(List<String> names) {
        String shown = names.stream().limit(LISTED).collect(Collectors.joining(", "));
        return names.size() > LISTED ? shown + " and " + (names.size() - LISTED) + " more" : shown;
    }
}
