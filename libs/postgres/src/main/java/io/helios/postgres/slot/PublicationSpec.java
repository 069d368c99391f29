package io.helios.postgres.slot;

import io.helios.core.change.TableId;
import io.helios.core.tenant.TenancyModel;
import io.helios.core.tenant.TenantScope;

import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * What a tenant's publication should contain, as the publication-object clause of
 * {@code CREATE/ALTER PUBLICATION} ({@code TABLES IN SCHEMA ...} or {@code TABLE ...}),
 * empty when it should hold no tables, with the tables and schemas it names (to compare with what
 * a publication holds). Pure; unit-tested without a server.
 */
record PublicationSpec(String objects, Set<TableId> tables, Set<String> schemas) {

    static final PublicationSpec EMPTY = new PublicationSpec("", Set.of(), Set.of());

    PublicationSpec {
        tables = Set.copyOf(tables);
        schemas = Set.copyOf(schemas);
    }

    boolean isEmpty() {
        return objects.isEmpty();
    }

    static PublicationSpec of(TenantScope scope, List<TableId> tables, int serverMajor) {
        List<TableId> included = tables.stream()
                .filter(t -> scope.includes(t.schema(), t.table()))
                .distinct()
                .toList();
        boolean unfiltered = scope.tables().include().isEmpty() && scope.tables().exclude().isEmpty();
        boolean schemaObjects = serverMajor >= 15 && unfiltered;
        return switch (scope.model()) {
            case ROW -> rowFiltered(scope, included, serverMajor);
            case SCHEMA -> schemaObjects ? schemas(List.of(scope.sourceSchema())) : tableList(included, null);
            case DATABASE -> schemaObjects
                    ? schemas(included.stream().map(TableId::schema).collect(Collectors.toCollection(TreeSet::new)))
                    : tableList(included, null);
        };
    }

    private static PublicationSpec rowFiltered(TenantScope scope, List<TableId> included, int serverMajor) {
        if (serverMajor < 15) {
            throw new IllegalStateException("tenant " + scope.tenantId() + " uses the " + TenancyModel.ROW
                    + " model, which needs publication row filters (PostgreSQL 15 or later); the source runs "
                    + "PostgreSQL " + serverMajor);
        }
        String filter = " WHERE (" + TableId.quote(scope.discriminatorColumn()) + " = "
                + literal(scope.tenantId()) + ")";
        return tableList(included, filter);
    }

    private static PublicationSpec schemas(Collection<String> schemas) {
        if (schemas.isEmpty()) {
            return EMPTY;
        }
        return new PublicationSpec("TABLES IN SCHEMA "
                + schemas.stream().map(TableId::quote).collect(Collectors.joining(", ")), Set.of(), Set.copyOf(schemas));
    }

    private static PublicationSpec tableList(List<TableId> tables, String rowFilter) {
        if (tables.isEmpty()) {
            return EMPTY;
        }
        String suffix = rowFilter == null ? "" : rowFilter;
        return new PublicationSpec("TABLE "
                + tables.stream().map(t -> t.quoted() + suffix).collect(Collectors.joining(", ")), Set.copyOf(tables), Set.of());
    }

    /** An SQL string literal, quotes doubled (standard_conforming_strings is on since 9.1). */
    static String literal(String value) {
        return "'" + value.replace("'", "''") + "'";
    }
}
