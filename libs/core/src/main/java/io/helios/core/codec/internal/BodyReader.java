package io.helios.core.codec.internal;

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
        List<Relation> relations = readRelations();
        long[] xid = readLongs(txCount);
        long[] commitLsn = readLongs(txCount);
        long[] endDelta = readLongs(txCount);
        long[] seconds = readLongs(txCount);
        int[] nanos = new int[txCount];
        for (int i = 0; i < txCount; i++) {
            nanos[i] = in.readCount(999_999_999, "nanoseconds");
        }
        int[] perTx = new int[txCount];
        long total = 0;
        for (int i = 0; i < txCount; i++) {
            perTx[i] = in.readVarInt();
            total += perTx[i];
        }
        int n = in.readVarInt();
        if (n != total) {
            throw Corrupt.of("transactions hold " + total + " changes, the change columns " + n);
        }
        if (n > maxBytes) {
            throw Corrupt.tooLarge(n + " changes exceed the bound");
        }
        int[] kinds = new int[n];
        int[] refs = new int[n];
        LongRuns.readRuns(in, kinds, n, false);
        LongRuns.readRuns(in, refs, n, false);
        int rels = relations.size();
        int[] beforeRows = new int[rels];
        int[] afterRows = new int[rels];
        List<List<Relation>> truncates = new ArrayList<>();
        for (int c = 0; c < n; c++) {
            int kind = kinds[c];
            int op = kind & 3;
            if ((kind & ~15) != 0 || refs[c] > rels) {
                throw Corrupt.of("change " + c + " has kind " + kind + " and relation " + refs[c]);
            }
            if (refs[c] == 0 && (kind & 12) != 0) {
                throw Corrupt.of("change " + c + " has row images but no relation");
            }
            if ((kind & 4) != 0) {
                beforeRows[refs[c] - 1]++;
            }
            if ((kind & 8) != 0) {
                afterRows[refs[c] - 1]++;
            }
            if (OPS[op] == Change.Op.TRUNCATE) {
                int count = in.readCount(in.remaining(), "truncated relations");
                List<Relation> list = new ArrayList<>(count);
                for (int k = 0; k < count; k++) {
                    list.add(relations.get(in.readCount(rels - 1, "relation index")));
                }
                truncates.add(list);
            }
        }
        long cells = 0;
        for (int r = 0; r < rels; r++) {
            cells += (long) (beforeRows[r] + afterRows[r]) * relations.get(r).columns().size();
        }
        if (cells > maxBytes) {
            throw Corrupt.tooLarge(cells + " values exceed the bound");
        }
        int[][][] beforeOff = new int[rels][][];
        int[][][] beforeLen = new int[rels][][];
        int[][][] afterOff = new int[rels][][];
        int[][][] afterLen = new int[rels][][];
        for (int r = 0; r < rels; r++) {
            int cols = relations.get(r).columns().size();
            beforeOff[r] = new int[beforeRows[r]][cols];
            beforeLen[r] = new int[beforeRows[r]][cols];
            readImages(arena, cols, beforeOff[r], beforeLen[r]);
            afterOff[r] = new int[afterRows[r]][cols];
            afterLen[r] = new int[afterRows[r]][cols];
            readImages(arena, cols, afterOff[r], afterLen[r]);
        }
        if (!in.atEnd()) {
            throw Corrupt.of(in.remaining() + " bytes after the last column");
        }
        byte[] text = arena.array();
        int[] nextBefore = new int[rels];
        int[] nextAfter = new int[rels];
        List<SourceTransaction> txs = new ArrayList<>(txCount);
        int c = 0;
        int t = 0;
        for (int i = 0; i < txCount; i++) {
            List<Change> changes = new ArrayList<>(perTx[i]);
            for (int k = 0; k < perTx[i]; k++, c++) {
                int kind = kinds[c];
                int r = refs[c] - 1;
                Relation rel = r < 0 ? null : relations.get(r);
                RowImage before = null;
                RowImage after = null;
                if ((kind & 4) != 0) {
                    int row = nextBefore[r]++;
                    before = RowImage.ofUtf8(text, beforeOff[r][row], beforeLen[r][row]);
                }
                if ((kind & 8) != 0) {
                    int row = nextAfter[r]++;
                    after = RowImage.ofUtf8(text, afterOff[r][row], afterLen[r][row]);
                }
                Change.Op op = OPS[kind & 3];
                changes.add(new Change(op, rel, before, after, op == Change.Op.TRUNCATE ? truncates.get(t++) : null));
            }
            txs.add(new SourceTransaction(xid[i], new Lsn(commitLsn[i]), new Lsn(commitLsn[i] + endDelta[i]),
                    Instant.ofEpochSecond(seconds[i], nanos[i]), changes));
        }
        return txs;
    }

    private void readImages(DecodeArena arena, int cols, int[][] offsets, int[][] lengths) {
        if (offsets.length == 0) {
            return;
        }
        for (int col = 0; col < cols; col++) {
            columns.read(in, arena, col, offsets, lengths, allowed);
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
