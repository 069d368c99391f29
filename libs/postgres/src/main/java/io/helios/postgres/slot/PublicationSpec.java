package io.helios.postgres.slot;

import io.helios.core.change.TableId;
import io.helios.core.tenant.TenancyModel;
import io.helios.core.tenant.TenantScope;
import io.helios.postgres.tenant.Discriminator;
import io.helios.postgres.tenant.SqlLiteral;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * What a tenant's publication should contain, as the publication-object clause of
 * {@code CREATE/ALTER PUBLICATION} ({@code TABLES IN SCHEMA ...} or {@code TABLE ...}),
 * empty when it should hold no tables, with the tables and schemas it names (to compare with what
 * a publication holds). A ROW tenant's row filter is each table's {@link Discriminator} predicate,
 * typed by the column's type on the source. Pure; unit-tested without a server.
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

    /**
     * @param discriminators ROW: the discriminator of every table the scope includes (read from the
     *                       source's catalog); ignored by the other models
     */
    static PublicationSpec of(TenantScope scope, List<TableId> tables, int serverMajor,
                              Map<TableId, Discriminator> discriminators) {
        List<TableId> included = tables.stream()
                .filter(t -> scope.includes(t.schema(), t.table()))
                .distinct()
                .toList();
        boolean unfiltered = scope.tables().include().isEmpty() && scope.tables().exclude().isEmpty();
        boolean schemaObjects = serverMajor >= 15 && unfiltered;
        return switch (scope.model()) {
            case ROW -> rowFiltered(scope, included, serverMajor, discriminators);
            case SCHEMA -> schemaObjects ? schemas(List.of(scope.sourceSchema())) : tableList(included);
            case DATABASE -> schemaObjects
                    ? schemas(included.stream().map(TableId::schema).collect(Collectors.toCollection(TreeSet::new)))
                    : tableList(included);
        };
    }

    private static PublicationSpec rowFiltered(TenantScope scope, List<TableId> included, int serverMajor,
                                               Map<TableId, Discriminator> discriminators) {
        if (serverMajor < 15) {
            throw new IllegalStateException("tenant " + scope.tenantId() + " uses the " + TenancyModel.ROW
                    + " model, which needs publication row filters (PostgreSQL 15 or later); the source runs "
                    + "PostgreSQL " + serverMajor);
        }
        if (included.isEmpty()) {
            return EMPTY;
        }
        return new PublicationSpec("TABLE " + included.stream().map(t -> t.quoted() + rowFilter(discriminator(discriminators, t)))
                .collect(Collectors.joining(", ")), Set.copyOf(included), Set.of());
    }

    /** The row filter clause of one table of a ROW tenant: {@code  WHERE ("col" = E'id'::type)}. */
    static String rowFilter(Discriminator discriminator) {
        return " WHERE (" + discriminator.literalPredicate() + ")";
    }

    private static Discriminator discriminator(Map<TableId, Discriminator> discriminators, TableId table) {
        Discriminator d = discriminators.get(table);
        if (d == null) {
            throw new IllegalArgumentException("no discriminator read for table " + table);
        }
        return d;
    }

    private static PublicationSpec schemas(Collection<String> schemas) {
        if (schemas.isEmpty()) {
            return EMPTY;
        }
        return new PublicationSpec("TABLES IN SCHEMA "
                + schemas.stream().map(TableId::quote).collect(Collectors.joining(", ")), Set.of(), Set.copyOf(schemas));
    }

    private static PublicationSpec tableList(List<TableId> tables) {
        if (tables.isEmpty()) {
            return EMPTY;
        }
        return new PublicationSpec("TABLE " + tables.stream().map(TableId::quoted).collect(Collectors.joining(", ")),
                Set.copyOf(tables), Set.of());
    }

    /** An SQL string literal, safe whatever {@code standard_conforming_strings} is. */
    static String literal(String value) {
        return SqlLiteral.of(value);
    }
}
