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

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Follows the source's schema on the target, inside the apply transaction: a relation the
 * applier has not seen in this shape is compared with its target table; a missing table is
 * created (and fenced), added columns are added, anything else is a
 * {@link io.helios.postgres.ddl.SchemaMismatchException}. Type names come from the source by
 * OID (cached). Single-threaded, owned by one {@link TransactionApplier}.
 */
final class SchemaReconciler {

    /** Opens the source on first use (type names). */
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
        Optional<TableDef> existing = Catalog.table(target, targetId);
        if (existing.isEmpty()) {
            Fence.installSchema(target);
            SchemaSync.createTableIfMissing(target, wanted, targetId.schema());
            Fence.protect(target, targetId, scope);
        } else {
            SchemaSync.addMissingColumns(target, wanted, existing.get());
        }
        return TargetTable.of(relation, targetId);
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
