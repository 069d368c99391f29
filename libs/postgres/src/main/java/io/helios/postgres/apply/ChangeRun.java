package io.helios.postgres.apply;

import io.helios.core.apply.ConflictStrategy;
import io.helios.core.change.Change;
import io.helios.core.change.RowImage;
import io.helios.core.change.TableId;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

import java.sql.BatchUpdateException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * A run of consecutive changes of one table with the same operation and the same set of
 * columns, executed together: one batch of a prepared statement, or one {@code COPY} for a
 * long run of inserts. Values are bound untyped so the target parses each with its column
 * type's input function. Not thread-safe; lives inside one apply transaction.
 */
final class ChangeRun {

    private static final int COPY_THRESHOLD = 64;

    private final TargetTable table;
    private final Change.Op op;
    private final BitSet present;
    private final boolean keyFromBefore;
    private final List<Change> changes = new ArrayList<>();

    private ChangeRun(TargetTable table, Change.Op op, BitSet present, boolean keyFromBefore) {
        this.table = table;
        this.op = op;
        this.present = present;
        this.keyFromBefore = keyFromBefore;
    }

    static ChangeRun startWith(TargetTable table, Change c) {
        ChangeRun run = new ChangeRun(table, c.op(), presentColumns(c), c.before() != null);
        run.changes.add(c);
        return run;
    }

    /** Adds the change when it fits this run; false when a new run must begin. */
    boolean tryAdd(TargetTable t, Change c) {
        if (t != table || c.op() != op || (c.before() != null) != keyFromBefore || !presentColumns(c).equals(present)) {
            return false;
        }
        changes.add(c);
        return true;
    }

    int size() {
        return changes.size();
    }

    private static BitSet presentColumns(Change c) {
        RowImage img = c.after() != null ? c.after() : c.before();
        BitSet bits = new BitSet(img.size());
        for (int i = 0; i < img.size(); i++) {
            if (!img.isUnchanged(i)) {
                bits.set(i);
            }
        }
        return bits;
    }

    /** Executes the run; returns the number of conflicts skipped under a lenient strategy. */
    long execute(Connection c, Map<String, PreparedStatement> statements, ConflictStrategy strategy) throws SQLException {
        return switch (op) {
            case INSERT -> insert(c, statements, strategy);
            case UPDATE -> checked(c, statements, updateSql(), strategy, this::bindUpdate);
            case DELETE -> checked(c, statements, deleteSql(), strategy, this::bindDelete);
            case TRUNCATE -> throw new IllegalStateException("TRUNCATE is applied on its own");
        };
    }

    private long insert(Connection c, Map<String, PreparedStatement> statements, ConflictStrategy strategy) throws SQLException {
        if (strategy == ConflictStrategy.ERROR && changes.size() >= COPY_THRESHOLD) {
            copy(c);
            return 0;
        }
        PreparedStatement ps = statements.computeIfAbsent(insertSql(strategy), sql -> prepare(c, sql));
        for (Change ch : changes) {
            bindAll(ps, ch.after(), 1);
            ps.addBatch();
        }
        try {
            ps.executeBatch();
        } catch (BatchUpdateException e) {
            throw conflictOr(e, "insert into " + table.target() + " conflicts with a row already there");
        }
        return 0;
    }

    private void copy(Connection c) throws SQLException {
        String sql = "COPY " + table.target().quoted() + " (" + columnList() + ") FROM STDIN";
        CopyIn in = c.unwrap(PGConnection.class).getCopyAPI().copyIn(sql);
        try {
            CopyText out = new CopyText(in);
            for (Change ch : changes) {
                RowImage row = ch.after();
                for (int i = 0; i < row.size(); i++) {
                    out.value(row.get(i), i == 0);
                }
                out.endRow();
            }
            out.finish();
        } catch (SQLException e) {
            throw conflictOr(e, "insert into " + table.target() + " conflicts with a row already there");
        } finally {
            if (in.isActive()) {
                in.cancelCopy();
            }
        }
    }

    private interface Binder {
        void bind(PreparedStatement ps, Change c) throws SQLException;
    }

    private long checked(Connection c, Map<String, PreparedStatement> statements, String sql, ConflictStrategy strategy,
                         Binder binder) throws SQLException {
        PreparedStatement ps = statements.computeIfAbsent(sql, s -> prepare(c, s));
        for (Change ch : changes) {
            binder.bind(ps, ch);
            ps.addBatch();
        }
        int[] counts = ps.executeBatch();
        long skipped = 0;
        for (int i = 0; i < counts.length; i++) {
            if (counts[i] == 0) {
                skipped += onMissingRow(c, statements, changes.get(i), strategy);
            }
        }
        return skipped;
    }

    private long onMissingRow(Connection c, Map<String, PreparedStatement> statements, Change ch,
                              ConflictStrategy strategy) throws SQLException {
        String what = ch.op().name().toLowerCase() + " of " + table.target() + " key " + keyText(ch);
        if (strategy == ConflictStrategy.ERROR) {
            throw new ConflictException(what + " found no row on the target: the replica diverged");
        }
        if (strategy == ConflictStrategy.SOURCE_WINS && ch.op() == Change.Op.UPDATE && !ch.after().hasUnchanged()) {
            PreparedStatement ps = statements.computeIfAbsent(insertSql(strategy), s -> prepare(c, s));
            bindAll(ps, ch.after(), 1);
            ps.executeUpdate();
            return 0;
        }
        return 1;
    }

    private String keyText(Change ch) {
        RowImage img = ch.before() != null ? ch.before() : ch.after();
        return table.keyPositions().stream().map(i -> img.isUnchanged(i) ? "?" : String.valueOf(img.get(i)))
                .collect(Collectors.joining(",", "(", ")"));
    }

    private void bindUpdate(PreparedStatement ps, Change ch) throws SQLException {
        int p = 1;
        for (int i = present.nextSetBit(0); i >= 0; i = present.nextSetBit(i + 1)) {
            bind(ps, p++, ch.after().get(i));
        }
        bindKey(ps, p, ch.before() != null ? ch.before() : ch.after());
    }

    private void bindDelete(PreparedStatement ps, Change ch) throws SQLException {
        bindKey(ps, 1, ch.before());
    }

    private void bindKey(PreparedStatement ps, int p, RowImage img) throws SQLException {
        for (int i : keyPositionsFor(img)) {
            bind(ps, p++, img.get(i));
        }
    }

    private List<Integer> keyPositionsFor(RowImage img) {
        if (!table.matchesAllColumns()) {
            return table.keyPositions();
        }
        List<Integer> all = new ArrayList<>();
        for (int i = 0; i < img.size(); i++) {
            if (!img.isUnchanged(i)) {
                all.add(i);
            }
        }
        return all;
    }

    private void bindAll(PreparedStatement ps, RowImage row, int first) throws SQLException {
        for (int i = 0; i < row.size(); i++) {
            bind(ps, first + i, row.get(i));
        }
    }

    private static void bind(PreparedStatement ps, int p, String value) throws SQLException {
        if (value == null) {
            ps.setNull(p, Types.OTHER);
        } else {
            ps.setObject(p, value, Types.OTHER);
        }
    }

    private String columnList() {
        List<String> cols = new ArrayList<>();
        for (int i = 0; i < table.width(); i++) {
            cols.add(table.column(i));
        }
        return String.join(", ", cols);
    }

    private String insertSql(ConflictStrategy strategy) {
        String values = "?" + ", ?".repeat(table.width() - 1);
        String sql = "INSERT INTO " + table.target().quoted() + " (" + columnList() + ") VALUES (" + values + ")";
        if (strategy == ConflictStrategy.ERROR || table.matchesAllColumns()) {
            return sql;
        }
        String key = table.keyPositions().stream().map(table::column).collect(Collectors.joining(", "));
        if (strategy == ConflictStrategy.KEEP_TARGET) {
            return sql + " ON CONFLICT (" + key + ") DO NOTHING";
        }
        List<String> sets = new ArrayList<>();
        for (int i = 0; i < table.width(); i++) {
            sets.add(table.column(i) + " = EXCLUDED." + table.column(i));
        }
        return sql + " ON CONFLICT (" + key + ") DO UPDATE SET " + String.join(", ", sets);
    }

    private String updateSql() {
        List<String> sets = new ArrayList<>();
        for (int i = present.nextSetBit(0); i >= 0; i = present.nextSetBit(i + 1)) {
            sets.add(table.column(i) + " = ?");
        }
        return "UPDATE " + table.target().quoted() + " SET " + String.join(", ", sets) + where();
    }

    private String deleteSql() {
        return "DELETE FROM " + table.target().quoted() + where();
    }

    private String where() {
        if (!table.matchesAllColumns()) {
            return " WHERE " + table.keyPositions().stream().map(i -> table.column(i) + " = ?")
                    .collect(Collectors.joining(" AND "));
        }
        // REPLICA IDENTITY FULL: match one row on every old column
        BitSet cols = keyFromBefore || op == Change.Op.DELETE ? fullBits() : present;
        List<String> conds = new ArrayList<>();
        for (int i = cols.nextSetBit(0); i >= 0; i = cols.nextSetBit(i + 1)) {
            conds.add(table.column(i) + " IS NOT DISTINCT FROM ?");
        }
        return " WHERE ctid = (SELECT ctid FROM " + table.target().quoted() + " WHERE " + String.join(" AND ", conds)
                + " LIMIT 1)";
    }

    private BitSet fullBits() {
        BitSet b = new BitSet();
        b.set(0, table.width());
        return b;
    }

    private static PreparedStatement prepare(Connection c, String sql) {
        try {
            return c.prepareStatement(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot prepare " + sql + ": " + e.getMessage(), e);
        }
    }

    private RuntimeException conflictOr(SQLException e, String message) throws SQLException {
        SQLException cause = e.getNextException() != null ? e.getNextException() : e;
        if ("23505".equals(cause.getSQLState())) {
            return new ConflictException(message + ": " + cause.getMessage(), cause);
        }
        throw cause;
    }

    TableId target() {
        return table.target();
    }

    @Override
    public String toString() {
        return op + " x" + changes.size() + " on " + Objects.toString(table.target());
    }
}
