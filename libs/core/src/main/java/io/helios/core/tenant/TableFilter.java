package io.helios.core.tenant;

import java.util.List;

/** Include/exclude globs: a table travels when it matches an include (or none are given) and no exclude. */
public record TableFilter(List<TableGlob> include, List<TableGlob> exclude) {

    public static final TableFilter ALL = new TableFilter(List.of(), List.of());

    public TableFilter {
        include = List.copyOf(include);
        exclude = List.copyOf(exclude);
    }

    public static TableFilter of(List<String> include, List<String> exclude) {
        return new TableFilter(
                include == null ? List.of() : include.stream().map(TableGlob::parse).toList(),
                exclude == null ? List.of() : exclude.stream().map(TableGlob::parse).toList());
    }

    public boolean accepts(String schema, String table) {
        boolean in = include.isEmpty() || include.stream().anyMatch(g -> g.matches(schema, table));
        return in && exclude.stream().noneMatch(g -> g.matches(schema, table));
    }
}
