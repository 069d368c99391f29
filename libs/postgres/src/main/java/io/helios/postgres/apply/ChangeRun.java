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
 * A run of consecutive changes of one table with the same operation, the same set of columns
 * written and the same columns matched, executed together: one batch of a prepared statement,
 * or one text-format {@code COPY} for a long run of inserts under ERROR. Values are bound
 * untyped so the target parses each with its column type's input function. Rows an update or
 * delete did not find, and inserts that met an existing row, follow the conflict strategy. Not
 * thread-safe; lives inside one apply transaction.
 */
final class ChangeRun {

    static final int COPY_THRESHOLD = 64;

    private final TargetTable table;
    private final Change.Op op;
    /** Columns the after image carries (unchanged TOAST values excluded). */
    private final BitSet written;
    /** Columns that find the row: the key, or under REPLICA IDENTITY FULL every old value carried. */
    private final BitSet matched;
    private final boolean keyFromBefore;
    private final List<Change> changes = new ArrayList<>();

    private ChangeRun(TargetTable table, Change c) {
        this.table = table;
        this.op = c.op();
        this.written = c.after() == null ? new BitSet() : carried(c.after());
        this.keyFromBefore = c.before() != null;
        this.matched = matchedColumns(table, c);
    }

    static ChangeRun startWith(TargetTable table, Change c) {
        ChangeRun run = new ChangeRun(table, c);
        run.changes.add(c);
        return run;
    }

    /** Adds the change when it fits this run; false when a new run must begin. */
    boolean tryAdd(TargetTable t, Change c) {
        if (t != table || c.op() != op || (c.before() != null) != keyFromBefore
                || (c.after() != null && !carriesExactly(c.after(), written))
                || (c.op() != Change.Op.INSERT && !matchedColumns(t, c).equals(matched))) {
            return false;
        }
        changes.add(c);
        return true;
    }

    /** Whether the image carries exactly the columns set in {@code bits}: {@code carried(img).equals(bits)}, without allocating. */
    private static boolean carriesExactly(RowImage img, BitSet bits) {
        int n = img.size();
        if (bits.length() > n) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            if (img.isUnchanged(i) == bits.get(i)) {
                return false;
            }
        }
        return true;
    }

    private static BitSet carried(RowImage img) {
        BitSet bits = new BitSet(img.size());
        for (int i = 0; i < img.size(); i++) {
            if (!img.isUnchanged(i)) {
                bits.set(i);
            }
        }
        return bits;
    }

    private static BitSet matchedColumns(TargetTable t, Change c) {
        if (c.op() == Change.Op.INSERT) {
            return new BitSet();
        }
        if (t.matchesAllColumns()) {
            return carried(keyImage(c));
        }
        BitSet bits = new BitSet();
        t.keyPositions().forEach(bits::set);
        return bits;
    }

    /** The old key (or old row) when the change carries it, else the key columns of the new row. */
    private static RowImage keyImage(Change c) {
        return c.before() != null ? c.before() : c.after();
    }

    /** Executes the run; returns the number of conflicting changes skipped under a lenient strategy. */
    long execute(Connection c, Map<String, PreparedStatement> statements, ConflictStrategy strategy) throws SQLException {
        return switch (op) {
            case INSERT -> insert(c, statements, strategy);
            case UPDATE -> checked(c, statements, RunSql.update(table, written, matched), strategy);
            case DELETE -> checked(c, statements, RunSql.delete(table, matched), strategy);
            case TRUNCATE -> throw new IllegalStateException("TRUNCATE is applied on its own");
        };
    }

    private long insert(Connection c, Map<String, PreparedStatement> statements, ConflictStrategy strategy) throws SQLException {
        if (strategy == ConflictStrategy.ERROR && changes.size() >= COPY_THRESHOLD) {
            copy(c);
            return 0;
        }
        PreparedStatement ps = statement(c, statements, RunSql.insert(table, strategy));
        for (Change ch : changes) {
            bindAll(ps, ch.after());
            ps.addBatch();
        }
        int[] counts;
        try {
            counts = ps.executeBatch();
        } catch (BatchUpdateException e) {
            throw conflictOr(e, "insert into " + table.target() + " met a row already there");
        }
        // ERROR: a conflict raised above; SOURCE_WINS: upserts always count 1; KEEP_TARGET: 0 = skipped
        return countZeros(counts);
    }

    private void copy(Connection c) throws SQLException {
        String sql = "COPY " + table.target().quoted() + " (" + RunSql.columnList(table) + ") FROM STDIN";
        CopyIn in = c.unwrap(PGConnection.class).getCopyAPI().copyIn(sql);
        try {
            CopyText out = new CopyText(in);
            for (Change ch : changes) {
                RowImage row = ch.after();
                for (int i = 0; i < row.size(); i++) {
                    out.value(row, i, i == 0);
                }
                out.endRow();
            }
            out.finish();
        } catch (SQLException e) {
            throw conflictOr(e, "copy into " + table.target() + " met a row already there");
        } finally {
            if (in.isActive()) {
                in.cancelCopy();
            }
        }
    }

    private long checked(Connection c, Map<String, PreparedStatement> statements, String sql, ConflictStrategy strategy)
            throws SQLException {
        PreparedStatement ps = statement(c, statements, sql);
        for (Change ch : changes) {
            int p = 1;
            if (op == Change.Op.UPDATE) {
                p = bindBits(ps, p, ch.after(), written);
            }
            bindBits(ps, p, keyImage(ch), matched);
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
        if (strategy == ConflictStrategy.ERROR) {
            throw new ConflictException(ch.op().name().toLowerCase() + " of " + table.target() + " key " + keyText(ch)
                    + " found no row on the target: the replica diverged");
        }
        if (strategy == ConflictStrategy.SOURCE_WINS && ch.op() == Change.Op.UPDATE && !ch.after().hasUnchanged()) {
            PreparedStatement ps = statement(c, statements, RunSql.insert(table, strategy));
            bindAll(ps, ch.after());
            ps.executeUpdate();
            return 0;
        }
        return 1;
    }

    private String keyText(Change ch) {
        RowImage img = keyImage(ch);
        return matched.stream().mapToObj(i -> table.column(i) + "=" + (img.isUnchanged(i) ? "?" : img.get(i)))
                .collect(Collectors.joining(", ", "(", ")"));
    }

    private static int bindBits(PreparedStatement ps, int first, RowImage img, BitSet bits) throws SQLException {
        int p = first;
        for (int i = bits.nextSetBit(0); i >= 0; i = bits.nextSetBit(i + 1)) {
            bind(ps, p++, img.get(i));
        }
        return p;
    }

    private static void bindAll(PreparedStatement ps, RowImage row) throws SQLException {
        for (int i = 0; i < row.size(); i++) {
            bind(ps, i + 1, row.get(i));
        }
    }

    private static void bind(PreparedStatement ps, int p, String value) throws SQLException {
        if (value == null) {
            ps.setNull(p, Types.OTHER);
        } else {
            ps.setObject(p, value, Types.OTHER);
        }
    }

    private static long countZeros(int[] counts) {
        long zeros = 0;
        for (int n : counts) {
            if (n == 0) {
                zeros++;
            }
        }
        return zeros;
    }

    private static PreparedStatement statement(Connection c, Map<String, PreparedStatement> cache, String sql)
            throws SQLException {
        PreparedStatement ps = cache.get(sql);
        if (ps == null) {
            ps = c.prepareStatement(sql);
            cache.put(sql, ps);
        }
        return ps;
    }

    /** A unique violation is a conflict the strategy speaks about; anything else propagates as it is. */
    private static RuntimeException conflictOr(SQLException e, String message) throws SQLException {
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
