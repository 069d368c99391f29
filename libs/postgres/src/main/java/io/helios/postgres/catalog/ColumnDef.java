package io.helios.postgres.catalog;

/** A column as the catalog describes it: name, SQL type as {@code format_type} prints it, NOT NULL. */
public record ColumnDef(String name, String sqlType, boolean notNull) {
}
