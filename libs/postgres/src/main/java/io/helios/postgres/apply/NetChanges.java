package io.helios.postgres.apply;

import io.helios.core.change.Change;
import io.helios.core.change.RowImage;

import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One table's changes over a group of source transactions, folded into their net effect per
 * row: an insert followed by updates becomes one insert of the last values, updates become one
 * update of the columns they carried, an insert followed by a delete becomes nothing, a delete
 * followed by an insert a replacement. Applied set-based, the rows' order no longer matters, so
 * the result equals in-order apply only where rows are independent: {@link #of} answers null when
 * they may not be (no key, a key that changes, a sequence no source can produce), and the table
 * is then applied in source order. Whether the target has other unique constraints is the
 * caller's question ({@link TableTraits}). Built and read on the applier's thread.
 */
final class NetChanges {

    private final TargetTable table;
    private final Map<Object, NetRow> rows;
    private NetChanges(TargetTable table, Map<Object, NetRow> rows) {
        this.table = table;
        this.rows = rows;
    }

    /** The net effect of {@code changes} (one table's, in source order), or null when it must be applied in order. */
    static NetChanges of(TargetTable table, List<Change> changes) {
        if (table.matchesAllColumns()) {
            return null;
        }
        Map<Object, NetRow> rows = new LinkedHashMap<>();
        for (Change c : changes) {
            if (!fold(table, rows, c)) {
                return null;
            }
        }
        return new NetChanges(table, rows);
    }

    private static boolean fold(TargetTable table, Map<Object, NetRow> rows, Change c) {
        String[] key = key(table, c);
        if (key == null) {
            return false;
        }
        Object id = key.length == 1 ? key[0] : Arrays.asList(key);
        NetRow row = rows.get(id);
        if (row == null) {
            rows.put(id, switch (c.op()) {
                case INSERT -> NetRow.inserted(key, c.after());
                case UPDATE -> NetRow.updated(key, c.after());
                case DELETE -> NetRow.deleted(key, table.width());
                case TRUNCATE -> null;
            });
            return c.op() != Change.Op.TRUNCATE;
        }
        return switch (c.op()) {
            case INSERT -> row.insert(c.after());
            case UPDATE -> row.update(c.after());
            case DELETE -> row.delete();
            case TRUNCATE -> false;
        };
    }

    /**
     * The row's key in text form; null when it cannot be read (a TOASTed key not carried) or when
     * an update moves the row to another key: a value moving between rows is only safe in order.
     */
    private static String[] key(TargetTable table, Change c) {
        RowImage img = c.op() == Change.Op.INSERT ? c.after() : c.before() != null ? c.before() : c.after();
        List<Integer> positions = table.keyPositions();
        String[] key = new String[positions.size()];
        for (int k = 0; k < key.length; k++) {
            int i = positions.get(k);
            if (img.isUnchanged(i) || img.isNull(i)) {
                return null;
            }
            key[k] = img.get(i);
            if (c.op() == Change.Op.UPDATE && c.before() != null
                    && (c.after().isUnchanged(i) || !key[k].equals(c.after().get(i)))) {
                return null;
            }
        }
        return key;
    }

    TargetTable table() {
        return table;
    }

    Collection<NetRow> rows() {
        return rows.values();
    }
}
