package io.helios.postgres.apply;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * The SQL of {@link SetApply}: statements over {@code unnest} of one text array parameter per
 * column, each element cast to the target column's type. The text depends only on the table, its
 * types and the columns written, never on the number of rows, so one prepared statement serves
 * every group. Columns of the unnested rows are named by position ({@code p0}, {@code p1}, ...),
 * which no table column name can shadow inside the statement since the target is aliased. Stateless.
 */
final class SetSql {

    private SetSql() {
    }

    /** Parameters: one array per key column, in key order. */
    static String delete(TargetTable t, TableTraits traits) {
        return "DELETE FROM " + t.target().quoted() + " AS t USING " + unnest(t.keyPositions(), t) + " WHERE "
                + keyMatch(t, traits);
    }

    /** Parameters: one array per key column, then one per column in {@code set}. */
    static String update(TargetTable t, TableTraits traits, BitSet set) {
        List<Integer> cols = new ArrayList<>(t.keyPositions());
        set.stream().forEach(cols::add);
        List<String> sets = new ArrayList<>();
        for (int i = set.nextSetBit(0); i >= 0; i = set.nextSetBit(i + 1)) {
            sets.add(t.column(i) + " = " + cast(i, traits));
        }
        if (sets.isEmpty()) {
            // only key columns: the update changes nothing, but must still find its row
            int k = t.keyPositions().get(0);
            sets.add(t.column(k) + " = t." + t.column(k));
        }
        return "UPDATE " + t.target().quoted() + " AS t SET " + String.join(", ", sets) + " FROM " + unnest(cols, t)
                + " WHERE " + keyMatch(t, traits);
    }

    /** Parameters: one array per column of the table, in order. */
    static String insert(TargetTable t, TableTraits traits) {
        List<Integer> cols = new ArrayList<>();
        List<String> values = new ArrayList<>();
        for (int i = 0; i < t.width(); i++) {
            cols.add(i);
            values.add(cast(i, traits));
        }
        return "INSERT INTO " + t.target().quoted() + " (" + RunSql.columnList(t) + ") SELECT " + String.join(", ", values)
                + " FROM " + unnest(cols, t);
    }

    private static String unnest(List<Integer> positions, TargetTable t) {
        List<String> arrays = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (int i : positions) {
            arrays.add("?::text[]");
            names.add("p" + i);
        }
        return "unnest(" + String.join(", ", arrays) + ") AS v(" + String.join(", ", names) + ")";
    }

    private static String keyMatch(TargetTable t, TableTraits traits) {
        List<String> conds = new ArrayList<>();
        for (int i : t.keyPositions()) {
            conds.add("t." + t.column(i) + " = " + cast(i, traits));
        }
        return String.join(" AND ", conds);
    }

    private static String cast(int position, TableTraits traits) {
        return "v.p" + position + "::" + traits.type(position);
    }
}
