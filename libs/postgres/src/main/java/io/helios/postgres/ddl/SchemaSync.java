package io.helios.postgres.ddl;

import io.helios.core.change.TableId;
import io.helios.postgres.catalog.Catalog;
import io.helios.postgres.catalog.ColumnDef;
import io.helios.postgres.catalog.TableDef;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Brings target tables in line with source definitions: creates missing schemas and tables
 * (columns, types, NOT NULL, primary key; no defaults, foreign keys or indexes beyond the key,
 * which a read-only replica does not need) and adds columns the source gained. Anything else
 * (a type change, a table without key) is a {@link SchemaMismatchException}. Stateless; runs in
 * the caller's transaction.
 */
public final class SchemaSync {

    private static final Logger log = LoggerFactory.getLogger(SchemaSync.class);

    private SchemaSync() {
    }

    /** Creates the schema when missing (idempotent). */
    public static void ensureSchema(Connection target, String schema) throws SQLException {
        try (Statement s = target.createStatement()) {
            s.execute("CREATE SCHEMA IF NOT EXISTS " + TableId.quote(schema));
        }
    }

    /**
     * Creates {@code targetSchema.<source table name>} like the source table, or, when it exists,
     * adds the columns it lacks.
     *
     * @return the target table's definition after the call
     * @throws SchemaMismatchException when the source table has no key to match rows by, or a shared
     *                                 column's type differs
     */
    public static TableDef createTableIfMissing(Connection target, TableDef source, String targetSchema) throws SQLException {
        return createTableIfMissing(target, source, targetSchema, true);
    }

    /**
     * {@link #createTableIfMissing(Connection, TableDef, String)}, but a table it creates gets its
     * primary key only when {@code withKey}: a bulk load into a table without an index, then one
     * sorted build ({@link #ensurePrimaryKey}), is cheaper than maintaining the index row by row.
     */
    public static TableDef createTableIfMissing(Connection target, TableDef source, String targetSchema, boolean withKey)
            throws SQLException {
        requireReplicable(source);
        TableId id = new TableId(targetSchema, source.id().table());
        Optional<TableDef> existing = Catalog.table(target, id);
        if (existing.isPresent()) {
            return addMissingColumns(target, source, existing.get());
        }
        ensureSchema(target, targetSchema);
        String columns = source.columns().stream()
                .map(c -> TableId.quote(c.name()) + " " + c.sqlType() + (c.notNull() ? " NOT NULL" : ""))
                .collect(Collectors.joining(", "));
        String key = source.primaryKey().isEmpty() || !withKey ? "" : ", PRIMARY KEY (" + source.primaryKey().stream()
                .map(TableId::quote).collect(Collectors.joining(", ")) + ")";
        try (Statement s = target.createStatement()) {
            s.execute("CREATE TABLE " + id.quoted() + " (" + columns + key + ")");
            if (source.primaryKey().isEmpty()) {
                s.execute("ALTER TABLE " + id.quoted() + " REPLICA IDENTITY FULL");
            }
        }
        log.info("created table {} on the target from {}", id, source.id());
        return Catalog.table(target, id).orElseThrow();
    }

    /**
     * Gives the target table the source's primary key when it has none (a table created without it
     * for a bulk load, or left so by a copy that did not finish); answers whether it built one. In
     * the caller's transaction.
     */
    public static boolean ensurePrimaryKey(Connection target, TableDef source, TableId id) throws SQLException {
        if (source.primaryKey().isEmpty()) {
            return false;
        }
        TableDef existing = Catalog.table(target, id)
                .orElseThrow(() -> new IllegalStateException("table " + id + " vanished from the target"));
        if (!existing.primaryKey().isEmpty()) {
            return false; // the usual case: no lock taken
        }
        try (Statement s = target.createStatement()) {
            // the lock ADD PRIMARY KEY takes anyway, before looking again: two builders must not both add one
            s.execute("LOCK TABLE " + id.quoted() + " IN ACCESS EXCLUSIVE MODE");
        }
        if (!Catalog.table(target, id).orElseThrow().primaryKey().isEmpty()) {
            return false;
        }
        try (Statement s = target.createStatement()) {
            s.execute("ALTER TABLE " + id.quoted() + " ADD PRIMARY KEY (" + source.primaryKey().stream()
                    .map(TableId::quote).collect(Collectors.joining(", ")) + ")");
        }
        log.info("built the primary key of {} on the target", id);
        return true;
    }

    /**
     * Adds to the target the columns the source has and the target lacks, and checks that shared
     * columns have the same type and that the target has no NOT NULL column the source lacks (its
     * rows could not be inserted).
     *
     * @return the target definition after the call
     */
    public static TableDef addMissingColumns(Connection target, TableDef source, TableDef existing) throws SQLException {
        boolean changed = false;
        for (ColumnDef col : source.columns()) {
            Optional<ColumnDef> there = existing.column(col.name());
            if (there.isEmpty()) {
                try (Statement s = target.createStatement()) {
                    s.execute("ALTER TABLE " + existing.id().quoted() + " ADD COLUMN " + TableId.quote(col.name()) + " " + col.sqlType());
                }
                log.info("added column {} {} to {} on the target", col.name(), col.sqlType(), existing.id());
                changed = true;
            } else if (!there.get().sqlType().equals(col.sqlType())) {
                throw new SchemaMismatchException("column " + col.name() + " of " + source.id() + " is " + col.sqlType()
                        + " on the source but " + there.get().sqlType() + " on the target " + existing.id()
                        + ": change the target column's type, then start the replication again");
            }
        }
        requireNoExtraNotNull(source, existing);
        return changed ? Catalog.table(target, existing.id()).orElseThrow() : existing;
    }

    private static void requireNoExtraNotNull(TableDef source, TableDef existing) {
        for (ColumnDef col : existing.columns()) {
            if (col.notNull() && source.column(col.name()).isEmpty()) {
                throw new SchemaMismatchException("column " + col.name() + " of the target " + existing.id()
                        + " is NOT NULL but the source " + source.id() + " has no such column: drop the column or its"
                        + " NOT NULL constraint on the target, then start the replication again");
            }
        }
    }

    /**
     * Rows of a table can be matched on the target only by a primary key (or replica identity index)
     * or, under REPLICA IDENTITY FULL, by all their columns.
     *
     * @throws SchemaMismatchException naming the table otherwise
     */
    public static void requireReplicable(TableDef t) {
        if (t.primaryKey().isEmpty() && t.replicaIdentity() != 'f') {
            throw new SchemaMismatchException("table " + t.id() + " has neither a primary key nor REPLICA IDENTITY FULL:"
                    + " its updates and deletes cannot be matched on the target");
        }
    }

}
