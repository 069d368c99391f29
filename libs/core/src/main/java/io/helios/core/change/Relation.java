package io.helios.core.change;

import java.util.List;

/**
 * The shape of a source table at a point of the stream. The capture engine emits a new
 * {@code Relation} (same oid, other columns) when the table's definition changes, so the
 * applier can follow schema evolution.
 *
 * @param oid             the source relation OID
 * @param table           schema-qualified name on the source
 * @param columns         columns in source attribute order
 * @param replicaIdentity 'd' default (primary key), 'f' full, 'i' index, 'n' nothing
 */
public record Relation(int oid, TableId table, List<Column> columns, char replicaIdentity) {

    public Relation {
        columns = List.copyOf(columns);
    }

    public int indexOf(String columnName) {
        for (int i = 0; i < columns.size(); i++) {
            if (columns.get(i).name().equals(columnName)) {
                return i;
            }
        }
        return -1;
    }

    public List<Column> keyColumns() {
        return columns.stream().filter(Column::key).toList();
    }
}
