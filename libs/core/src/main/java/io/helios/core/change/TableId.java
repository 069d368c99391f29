package io.helios.core.change;

import java.util.Objects;

/** A schema-qualified table name, as the source names it. */
public record TableId(String schema, String table) {

    public TableId {
        Objects.requireNonNull(schema, "schema");
        Objects.requireNonNull(table, "table");
    }

    /** The name quoted for SQL: {@code "schema"."table"}. */
    public String quoted() {
        return quote(schema) + "." + quote(table);
    }

    public static String quote(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }

    @Override
    public String toString() {
        return schema + "." + table;
    }
}
