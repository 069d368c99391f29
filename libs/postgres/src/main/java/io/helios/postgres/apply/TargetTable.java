package io.helios.postgres.apply;

import io.helios.core.change.Column;
import io.helios.core.change.Relation;
import io.helios.core.change.TableId;

import java.util.ArrayList;
import java.util.List;

/**
 * How one source relation (at one shape) maps onto its target table: target name, the source
 * columns by position, and which of them identify a row. Immutable.
 */
record TargetTable(Relation relation, TableId target, List<Integer> keyPositions) {

    static TargetTable of(Relation relation, TableId target) {
        List<Integer> keys = new ArrayList<>();
        List<Column> cols = relation.columns();
        for (int i = 0; i < cols.size(); i++) {
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

    int width() {
        return relation.columns().size();
    }
}
