package io.helios.core.tenant;

import java.util.List;

/** Include/exclude globs: a table travels when it matches an include (or none are given) and no exclude. */
public record TableFilter(List<TableGlob> include, List<TableGlob> exclude) {

    public static final TableFilter ALL = new TableFilter(List.of(), List.of());
    /** Most patterns accepted in one include or exclude list. */
    public static final int MAX_PATTERNS = 64;

    public TableFilter {
        include = List.copyOf(include);
        exclude = List.copyOf(exclude);
    }

    /**
     * Parses both lists.
     *
     * @throws IllegalArgumentException when a list holds more than {@value #MAX_PATTERNS} patterns
     *         or a pattern is invalid (see {@link TableGlob#parse})
     */
    public static TableFilter of(List<String> include, List<String> exclude) {
        return new TableFilter(parse("include", include), parse("exclude", exclude));
    }

    private static List<TableGlob> parse(String which, List<String> globs) {
        if (globs == null) {
            return List.of();
        }
        if (globs.size() > MAX_PATTERNS) {
            throw new IllegalArgumentException(which + " list has " + globs.size()
                    + " table patterns, at most " + MAX_PATTERNS);
        }
        return globs.stream().map(TableGlob::parse).toList();
    }

    public boolean accepts(String schema, String table) {
        boolean in = include.isEmpty() || include.stream().anyMatch(g -> g.matches(schema, table));
        return in && exclude.stream().noneMatch(g -> g.matches(schema, table));
    }
}
