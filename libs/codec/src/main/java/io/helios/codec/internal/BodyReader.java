package io.helios.codec.internal;

import io.helios.core.change.Change;
import io.helios.core.change.Column;
import io.helios.core.change.Lsn;
import io.helios.core.change.Relation;
import io.helios.core.change.RowImage;
import io.helios.core.change.SourceTransaction;
import io.helios.core.change.TableId;

import java.time.Instant;
import java.util.ArrayList;

import java.util.List;

/**
 * Reads a body written by {@link BodyWriter} back into transactions. All of it is read and
 * checked before any object of the result is built, and the body must be consumed exactly.
 * One instance per decode; not thread-safe.
 */
public final class BodyReader {

    private static final Change.Op[] OPS = Change.Op.values();

    private final ByteReader in;
    private final byte[] body;
    private final int length;
    private final long maxBytes;
    private final int allowed;
    private final ColumnReader columns = new ColumnReader();

    /**
     * @param maxBytes bound on the decoded text and on the number of values, past which the
     *                 batch is refused as too large
     * @param allowed  the header's mask of encodings used
     */
    public BodyReader(byte[] body, int length, long maxBytes, int allowed) {
        this.in = new ByteReader(body, 0, length);
        this.body = body;
        this.length = length;
        this.maxBytes = maxBytes;
        this.allowed = allowed;
    }

    public List<SourceTransaction> read() {
        long typed = in.readLong();
        if (typed < 0 || typed > maxBytes) {
            throw Corrupt.tooLarge("batch expands to " + typed + " bytes of text, over the bound of " + maxBytes);
        }
        DecodeArena arena = new DecodeArena(body, length, typed, 2 * maxBytes);
        int txCount = in.readCount(length, "transaction count");
        relations = readRelations();
        readTransactionColumns(txCount);
        readChangeColumns();
        befores = new ImageSet[relations.size()];
        afters = new ImageSet[relations.size()];
        countImages();
        for (int r = 0; r < relations.size(); r++) {
            readImages(arena, relations.get(r).columns().size(), befores[r]);
            readImages(arena, relations.get(r).columns().size(), afters[r]);
        }
        if (!in.atEnd()) {
            throw Corrupt.of(in.remaining() + " bytes after the last column");
        }
        return assemble(arena.array());
    }

    /** Where the rows of one relation's before (or after) images are, value by value. */
    private static final class ImageSet {
        int rows;
        int[][] offsets;
        int[][] lengths;
        int next;

        RowImage next(byte[] text) {
            int row = next++;
            return RowImage.ofUtf8(text, offsets[row], lengths[row]);
        }
    }

    private List<Relation> relations;
    private long[] xid;
    private long[] commitLsn;
    private long[] endDelta;
    private long[] seconds;
    private int[] nanos;
    private int[] perTx;
    private int[] kinds;
    private int[] refs;
    private final List<List<Relation>> truncates = new ArrayList<>();
    private ImageSet[] befores;
    private ImageSet[] afters;

    private void readTransactionColumns(int txCount) {
        xid = readLongs(txCount);
        commitLsn = readLongs(txCount);
        endDelta = readLongs(txCount);
        seconds = readLongs(txCount);
        nanos = new int[txCount];
        for (int i = 0; i < txCount; i++) {
            nanos[i] = in.readCount(999_999_999, "nanoseconds");
        }
        perTx = new int[txCount];
        for (int i = 0; i < txCount; i++) {
            perTx[i] = in.readVarInt();
        }
    }

    private void readChangeColumns() {
        long total = 0;
        for (int count : perTx) {
            total += count;
        }
        int n = in.readVarInt();
        if (n != total) {
            throw Corrupt.of("transactions hold " + total + " changes, the change columns " + n);
        }
        if (n > maxBytes) {
            throw Corrupt.tooLarge(n + " changes exceed the bound");
        }
        kinds = new int[n];
        refs = new int[n];
        LongRuns.readRuns(in, kinds, n, false);
        LongRuns.readRuns(in, refs, n, false);
        int rels = relations.size();
        for (int c = 0; c < n; c++) {
            if ((kinds[c] & ~15) != 0 || refs[c] > rels || (refs[c] == 0 && (kinds[c] & 12) != 0)) {
                throw Corrupt.of("change " + c + " has kind " + kinds[c] + " and relation " + refs[c]);
            }
            if (OPS[kinds[c] & 3] == Change.Op.TRUNCATE) {
                int count = in.readCount(in.remaining(), "truncated relations");
                List<Relation> list = new ArrayList<>(count);
                for (int k = 0; k < count; k++) {
                    list.add(relations.get(in.readCount(rels - 1, "relation index")));
                }
                truncates.add(list);
            }
        }
    }

    /** Rows per image set from the change kinds; refuses batches whose values exceed the bound. */
    private void countImages() {
        for (int r = 0; r < relations.size(); r++) {
            befores[r] = new ImageSet();
            afters[r] = new ImageSet();
        }
        for (int c = 0; c < kinds.length; c++) {
            if ((kinds[c] & 4) != 0) {
                befores[refs[c] - 1].rows++;
            }
            if ((kinds[c] & 8) != 0) {
                afters[refs[c] - 1].rows++;
            }
        }
        long cells = 0;
        for (int r = 0; r < relations.size(); r++) {
            cells += (long) (befores[r].rows + afters[r].rows) * relations.get(r).columns().size();
        }
        if (cells > maxBytes) {
            throw Corrupt.tooLarge(cells + " values exceed the bound");
        }
    }

    private List<SourceTransaction> assemble(byte[] text) {
        List<SourceTransaction> txs = new ArrayList<>(perTx.length);
        int c = 0;
        int t = 0;
        for (int i = 0; i < perTx.length; i++) {
            List<Change> changes = new ArrayList<>(perTx[i]);
            for (int k = 0; k < perTx[i]; k++, c++) {
                int r = refs[c] - 1;
                RowImage before = (kinds[c] & 4) != 0 ? befores[r].next(text) : null;
                RowImage after = (kinds[c] & 8) != 0 ? afters[r].next(text) : null;
                Change.Op op = OPS[kinds[c] & 3];
                changes.add(new Change(op, r < 0 ? null : relations.get(r), before, after,
                        op == Change.Op.TRUNCATE ? truncates.get(t++) : null));
            }
            txs.add(new SourceTransaction(xid[i], new Lsn(commitLsn[i]), new Lsn(commitLsn[i] + endDelta[i]),
                    Instant.ofEpochSecond(seconds[i], nanos[i]), changes));
        }
        return txs;
    }

    private void readImages(DecodeArena arena, int cols, ImageSet set) {
        set.offsets = new int[set.rows][cols];
        set.lengths = new int[set.rows][cols];
        if (set.rows == 0) {
            return;
        }
        for (int col = 0; col < cols; col++) {
            columns.read(in, arena, col, set.offsets, set.lengths, allowed);
        }
    }

    private List<Relation> readRelations() {
        int count = in.readCount(in.remaining(), "relation count");
        List<Relation> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int oid = readInt();
            TableId table = new TableId(in.readString(), in.readString());
            int identity = in.readCount(0xFFFF, "replica identity");
            int colCount = in.readCount(in.remaining(), "column count");
            List<Column> cols = new ArrayList<>(colCount);
            for (int c = 0; c < colCount; c++) {
                String name = in.readString();
                int type = readInt();
                int mod = readInt();
                int key = in.readByte();
                if (key > 1) {
                    throw Corrupt.of("column key flag " + key);
                }
                cols.add(new Column(name, type, mod, key == 1));
            }
            out.add(new Relation(oid, table, cols, (char) identity));
        }
        return out;
    }

    private int readInt() {
        long v = in.readZigZag();
        if (v != (int) v) {
            throw Corrupt.of("int out of range");
        }
        return (int) v;
    }

    private long[] readLongs(int n) {
        int order = in.readByte();
        if (order != 1 && order != 2) {
            throw Corrupt.of("unknown delta order " + order);
        }
        if ((allowed & (order == 1 ? Encoding.DELTA : Encoding.DELTA_OF_DELTA).bit()) == 0) {
            throw Corrupt.of("transaction column in an encoding the header does not declare");
        }
        long[] v = new long[n];
        LongRuns.read(in, v, n, order);
        return v;
    }

}
