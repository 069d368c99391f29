package io.helios.postgres.catalog;

import io.helios.core.change.TableId;

import java.util.List;
import java.util.Optional;

/**
 * A table's definition as far as replication needs it.
 *
 * @param replicaIdentity 'd' default (primary key), 'f' full, 'i' index, 'n' nothing
 */
public record TableDef(TableId id, List<ColumnDef> columns, List<String> primaryKey, char replicaIdentity) {

    public TableDef {
        columns = List.copyOf(columns);
        primaryKey = List.copyOf(primaryKey);
    }

    public Optional<ColumnDef> column(String name) {
        return columns.stream().filter(c -> c.name().equals(name)).findFirst();
    }
}
