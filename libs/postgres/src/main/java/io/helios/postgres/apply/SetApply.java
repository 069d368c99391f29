package io.helios.postgres.apply;

import io.helios.core.change.RowImage;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

import java.sql.Array;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Applies one table's {@link NetChanges} set-based: one {@code DELETE ... USING unnest(...)} for
 * the rows that went away (or were replaced), one {@code UPDATE ... FROM unnest(...)} per set of
 * columns updated, one {@code INSERT ... SELECT FROM unnest(...)} for the rows that are new (or
 * replaced). Each column travels as one text array and is cast to the target's type, so the
 * target's input functions read exactly the text the source sent (as in-order apply does), the
 * statement text depends only on the table and the columns, and the statements of all tables of
 * a group go to the target together ({@link SetBatch}): one round trip instead of one per change.
 * Rows are independent (different keys), so their order does not matter; deletes run first, so a
 * replaced row's insert finds its key free.
 *
 * <p>Every delete and update must find its row: when one does not, the target is not what the
 * source had, and {@link Mismatch} tells the applier to redo the group in source order, where
 * the change that diverges meets the conflict strategy with its own key in the message. Stateless;
 * runs inside the applier's transaction.
 */
final class SetApply {

    /** The reduced apply did not account for every row: redo the group in order. */
    static final class Mismatch extends Exception {
        Mismatch(String message) {
            super(message, null, false, false);
        }
    }

    private SetApply() {
    }

    /**
     * Queues the table's statements on {@code batch}; many new rows go by COPY at once (after what
     * the batch holds, so a replaced row's delete comes first). Answers the rows COPY wrote; the
     * batch counts the rest.
     */
    static long apply(Connection c, NetChanges net, TableTraits traits, SetBatch batch) throws SQLException, Mismatch {
        TargetTable t = net.table();
        List<NetRow> gone = new ArrayList<>();
        List<NetRow> updated = new ArrayList<>();
        List<NetRow> added = new ArrayList<>();
        for (NetRow r : net.rows()) {
            switch (r.kind()) {
                case DELETE -> gone.add(r);
                case UPDATE -> updated.add(r);
                case INSERT -> added.add(r);
                case REPLACE -> {
                    gone.add(r);
                    added.add(r);
                }
                case NONE -> {
                }
            }
        }
        if (!gone.isEmpty()) {
            batch.add(SetSql.delete(t, traits), keyArrays(c, t, gone), gone.size(), "delete from " + t.target());
        }
        for (Map.Entry<BitSet, List<NetRow>> e : byColumns(t, updated).entrySet()) {
            List<Array> params = new ArrayList<>(keyArrays(c, t, e.getValue()));
            params.addAll(valueArrays(c, e.getKey(), e.getValue()));
            batch.add(SetSql.update(t, traits, e.getKey()), params, e.getValue().size(), "update of " + t.target());
        }
        if (added.size() >= ChangeRun.COPY_THRESHOLD) {
            long written = batch.execute(c);
            return written + copy(c, t, added);
        }
        if (!added.isEmpty()) {
            BitSet all = new BitSet();
            all.set(0, t.width());
            batch.add(SetSql.insert(t, traits), valueArrays(c, all, added), -1, "insert into " + t.target());
        }
        return 0;
    }

    /** Many new rows: text COPY, straight from the bytes they arrived in where nothing merged into them. */
    private static int copy(Connection c, TargetTable t, List<NetRow> rows) throws SQLException {
        String sql = "COPY " + t.target().quoted() + " (" + RunSql.columnList(t) + ") FROM STDIN";
        CopyIn in = c.unwrap(PGConnection.class).getCopyAPI().copyIn(sql);
        try {
            CopyText out = new CopyText(in);
            for (NetRow r : rows) {
                RowImage row = r.image();
                for (int i = 0; i < row.size(); i++) {
                    out.value(row, i, i == 0);
                }
                out.endRow();
            }
            out.finish();
            return rows.size();
        } finally {
            if (in.isActive()) {
                in.cancelCopy();
            }
        }
    }

    /** Updates grouped by the non-key columns they set (an unchanged TOAST value is not set). */
    private static Map<BitSet, List<NetRow>> byColumns(TargetTable t, List<NetRow> updated) {
        Map<BitSet, List<NetRow>> out = new LinkedHashMap<>();
        for (NetRow r : updated) {
            BitSet set = (BitSet) r.carried().clone();
            t.keyPositions().forEach(set::clear);
            out.computeIfAbsent(set, k -> new ArrayList<>()).add(r);
        }
        return out;
    }

    private static List<Array> keyArrays(Connection c, TargetTable t, List<NetRow> rows) throws SQLException {
        List<Array> out = new ArrayList<>(t.keyPositions().size());
        for (int k = 0; k < t.keyPositions().size(); k++) {
            String[] col = new String[rows.size()];
            for (int r = 0; r < col.length; r++) {
                col[r] = rows.get(r).key()[k];
            }
            out.add(c.createArrayOf("text", col));
        }
        return out;
    }

    private static List<Array> valueArrays(Connection c, BitSet columns, List<NetRow> rows) throws SQLException {
        List<Array> out = new ArrayList<>(columns.cardinality());
        for (int i = columns.nextSetBit(0); i >= 0; i = columns.nextSetBit(i + 1)) {
            String[] col = new String[rows.size()];
            for (int r = 0; r < col.length; r++) {
                col[r] = rows.get(r).value(i);
            }
            out.add(c.createArrayOf("text", col));
        }
        return out;
    }
}
