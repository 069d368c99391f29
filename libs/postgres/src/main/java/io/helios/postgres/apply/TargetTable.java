package io.helios.postgres.apply;

import io.helios.core.change.Column;
import io.helios.core.change.Relation;
import io.helios.core.change.TableId;

import java.util.ArrayList;
import java.util.List;

/**
 * How one source relation (at one shape) maps onto its target table: target name, the source
 * columns by position, and which of them identify a row. Under REPLICA IDENTITY FULL pgoutput
 * flags every column as identity; such tables have no key positions here and rows are matched
 * on all their old values. Immutable.
 */
record TargetTable(Relation relation, TableId target, List<Integer> keyPositions) {

    /** json and xml have no equality operator: their old values are compared as text. */
    private static final int JSON = 114;
    private static final int XML = 142;

    static TargetTable of(Relation relation, TableId target) {
        List<Integer> keys = new ArrayList<>();
        List<Column> cols = relation.columns();
        for (int i = 0; i < cols.size() && relation.replicaIdentity() != 'f'; i++) {
            if (cols.get(i).key()) {
                keys.add(i);
            }
        }
        return new TargetTable(relation, target, List.copyOf(keys));
    }

    /** No key columns: rows are matched on every old column (REPLICA IDENTITY FULL). */
    boolean matchesAllColumns() {
        return keyPositions.isEmpty();
    }

    String column(int position) {
        return TableId.quote(relation.columns().get(position).name());
    }

    boolean comparesAsText(int position) {
        int oid = relation.columns().get(position).typeOid();
        return oid == JSON || oid == XML;
    }

    int width() {
        return relation.columns().size();
    }
}
