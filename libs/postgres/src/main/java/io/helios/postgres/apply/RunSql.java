package io.helios.postgres.apply;

import io.helios.core.apply.ConflictStrategy;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The SQL of a {@link ChangeRun}: one statement text per (table, operation, columns set, columns
 * matched), so the applier's statement cache reuses it. Parameters are untyped; the server
 * infers each from its column. Stateless.
 */
final class RunSql {

    private RunSql() {
    }

    static String columnList(TargetTable t) {
        List<String> cols = new ArrayList<>(t.width());
        for (int i = 0; i < t.width(); i++) {
            cols.add(t.column(i));
        }
        return String.join(", ", cols);
    }

    /**
     * Under ERROR a plain multi-row-rewritable INSERT. Otherwise ON CONFLICT on the key; the VALUES
     * list is parenthesised so the driver does not rewrite the batch into multi-row statements and
     * reports each row's count, which is how KEEP_TARGET counts the rows it skipped.
     */
    static String insert(TargetTable t, ConflictStrategy strategy) {
        String values = "(?" + ", ?".repeat(t.width() - 1) + ")";
        String head = "INSERT INTO " + t.target().quoted() + " (" + columnList(t) + ") ";
        if (strategy == ConflictStrategy.ERROR || t.matchesAllColumns()) {
            return head + "VALUES " + values;
        }
        String sql = head + "(VALUES " + values + ") ON CONFLICT ("
                + t.keyPositions().stream().map(t::column).collect(Collectors.joining(", ")) + ")";
        if (strategy == ConflictStrategy.KEEP_TARGET) {
            return sql + " DO NOTHING";
        }
        List<String> sets = new ArrayList<>();
        for (int i = 0; i < t.width(); i++) {
            sets.add(t.column(i) + " = EXCLUDED." + t.column(i));
        }
        return sql + " DO UPDATE SET " + String.join(", ", sets);
    }

    static String update(TargetTable t, BitSet set, BitSet match) {
        List<String> sets = new ArrayList<>();
        for (int i = set.nextSetBit(0); i >= 0; i = set.nextSetBit(i + 1)) {
            sets.add(t.column(i) + " = ?");
        }
        return "UPDATE " + t.target().quoted() + " SET " + String.join(", ", sets) + where(t, match);
    }

    static String delete(TargetTable t, BitSet match) {
        return "DELETE FROM " + t.target().quoted() + where(t, match);
    }

    private static String where(TargetTable t, BitSet match) {
        if (!t.matchesAllColumns()) {
            return " WHERE " + t.keyPositions().stream().map(i -> t.column(i) + " = ?").collect(Collectors.joining(" AND "));
        }
        // REPLICA IDENTITY FULL: duplicates are possible, change exactly one of them
        List<String> conds = new ArrayList<>();
        for (int i = match.nextSetBit(0); i >= 0; i = match.nextSetBit(i + 1)) {
            conds.add(t.comparesAsText(i) ? t.column(i) + "::text IS NOT DISTINCT FROM ?::text"
                    : t.column(i) + " IS NOT DISTINCT FROM ?");
        }
        return " WHERE ctid = (SELECT ctid FROM " + t.target().quoted() + " WHERE " + String.join(" AND ", conds)
                + " LIMIT 1)";
    }
}
