package io.helios.postgres.apply;

import io.helios.core.change.Column;
import io.helios.core.change.Relation;
import io.helios.core.change.TableId;
import io.helios.core.tenant.TenantScope;
import io.helios.postgres.catalog.Catalog;
import io.helios.postgres.catalog.ColumnDef;
import io.helios.postgres.catalog.TableDef;
import io.helios.postgres.ddl.SchemaSync;
import io.helios.postgres.fence.Fence;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Follows the source's schema on the target, inside the apply transaction: a relation the
 * applier has not seen in this shape is compared with its target table. A missing table is
 * created from the source catalog (NOT NULL and key included; from the relation alone when the
 * source dropped it meanwhile) and fenced; columns the source gained are added; anything else
 * (a type change, a table without key) is a {@link io.helios.postgres.ddl.SchemaMismatchException}.
 * Type names come from the source by OID (cached). Single-threaded, owned by one
 * {@link TransactionApplier}; the source connection is the applier's.
 */
final class SchemaReconciler {

    private static final Logger log = LoggerFactory.getLogger(SchemaReconciler.class);

    /** Opens the source on first use (type names, table definitions). */
    interface SourceConnection {
        Connection get() throws SQLException;
    }

    private final TenantScope scope;
    private final SourceConnection source;
    private final Map<Long, String> typeNames = new HashMap<>();

    SchemaReconciler(TenantScope scope, SourceConnection source) {
        this.scope = scope;
        this.source = source;
    }

    TargetTable reconcile(Connection target, Relation relation) throws SQLException {
        TableId targetId = new TableId(scope.targetSchemaFor(relation.table().schema()), relation.table().table());
        TableDef wanted = definitionOf(relation);
        SchemaSync.requireReplicable(wanted);
        Optional<TableDef> existing = Catalog.table(target, targetId);
        if (existing.isEmpty()) {
            create(target, relation, wanted, targetId);
        } else {
            SchemaSync.addMissingColumns(target, wanted, existing.get());
        }
        return TargetTable.of(relation, targetId);
    }

    private void create(Connection target, Relation relation, TableDef wanted, TableId targetId) throws SQLException {
        Fence.installSchema(target);
        TableDef fromSource = Catalog.table(source.get(), relation.table())
                .map(def -> alignedWith(def, wanted))
                .orElse(wanted);
        TableDef created = SchemaSync.createTableIfMissing(target, fromSource, targetId.schema());
        SchemaSync.addMissingColumns(target, wanted, created);
        Fence.protect(target, targetId, scope);
        log.info("new table {} of tenant {} created on the target as {} and fenced", relation.table(), scope.tenantId(),
                targetId);
    }

    /**
     * The source catalog may already be ahead of the stream: columns the relation does not carry
     * must not be NOT NULL on the target, and the relation's key wins when the catalog has no
     * primary key (replica identity index).
     */
    private static TableDef alignedWith(TableDef catalog, TableDef wanted) {
        List<ColumnDef> cols = catalog.columns().stream()
                .map(c -> wanted.column(c.name()).isPresent() ? c : new ColumnDef(c.name(), c.sqlType(), false))
                .toList();
        List<String> key = catalog.primaryKey().isEmpty() ? wanted.primaryKey() : catalog.primaryKey();
        return new TableDef(catalog.id(), cols, key, wanted.replicaIdentity());
    }

    private TableDef definitionOf(Relation r) throws SQLException {
        List<ColumnDef> cols = new ArrayList<>();
        List<String> key = new ArrayList<>();
        for (Column c : r.columns()) {
            cols.add(new ColumnDef(c.name(), typeName(c.typeOid(), c.typeMod()), false));
            if (c.key() && r.replicaIdentity() != 'f') {
                key.add(c.name());
            }
        }
        return new TableDef(r.table(), cols, key, r.replicaIdentity());
    }

    private String typeName(int oid, int mod) throws SQLException {
        long k = ((long) oid << 32) | (mod & 0xFFFFFFFFL);
        String name = typeNames.get(k);
        if (name == null) {
            name = Catalog.typeName(source.get(), oid, mod);
            typeNames.put(k, name);
        }
        return name;
    }
}
