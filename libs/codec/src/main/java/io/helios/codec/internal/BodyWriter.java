package io.helios.codec.internal;

import io.helios.core.change.Change;
import io.helios.core.change.Column;
import io.helios.core.change.Relation;
import io.helios.core.change.RowImage;
import io.helios.core.change.SourceTransaction;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Lays a batch's transactions out column by column (the plaintext body that is then
 * compressed and encrypted). Layout, all counts as varints:
 * <pre>
 *   typed text bytes (8, big-endian)   transactions   relations
 *   per transaction, as columns: xid, commit LSN, end LSN - commit LSN, commit second, nanos, change count
 *   per change, as runs: kind (op | before? | after?), relation index + 1 (0: none)
 *   per TRUNCATE change: its relation indexes
 *   per relation, for its before images then its after images: one column chunk per column
 * </pre>
 * One instance per encode; not thread-safe.
 */
public final class BodyWriter {

    private final ByteWriter out;
    private final ColumnWriter columns = new ColumnWriter();
    private final Map<Relation, Integer> byIdentity = new IdentityHashMap<>();
    private final Map<Relation, Integer> byValue = new HashMap<>();
    private final List<Relation> relations = new ArrayList<>();
    private final List<ColumnValues[]> befores = new ArrayList<>();
    private final List<ColumnValues[]> afters = new ArrayList<>();

    public BodyWriter(int expectedBytes) {
        out = new ByteWriter(expectedBytes);
    }

    /** Writes the body; returns it in {@link #bytes()} up to {@link #size()}. */
    public void write(List<SourceTransaction> transactions) {
        int txCount = transactions.size();
        int changeCount = 0;
        for (SourceTransaction t : transactions) {
            changeCount += t.changes().size();
        }
        int[] kinds = new int[changeCount];
        int[] refs = new int[changeCount];
        List<List<Relation>> truncates = new ArrayList<>();
        int c = 0;
        for (SourceTransaction t : transactions) {
            for (Change ch : t.changes()) {
                if (ch.relation() == null && (ch.before() != null || ch.after() != null)) {
                    throw new IllegalArgumentException(ch.op() + " change with row images but no relation");
                }
                refs[c] = ch.relation() == null ? 0 : index(ch.relation()) + 1;
                kinds[c] = ch.op().ordinal() | (ch.before() != null ? 4 : 0) | (ch.after() != null ? 8 : 0);
                if (ch.before() != null) {
                    ColumnValues.append(befores.get(refs[c] - 1), checked(ch.before(), ch.relation()));
                }
                if (ch.after() != null) {
                    ColumnValues.append(afters.get(refs[c] - 1), checked(ch.after(), ch.relation()));
                }
                if (ch.op() == Change.Op.TRUNCATE) {
                    truncates.add(ch.truncated());
                    for (Relation r : ch.truncated()) {
                        index(r);
                    }
                }
                c++;
            }
        }
        out.writeLong(0); // typed text bytes, filled in at the end
        out.writeVarInt(txCount);
        writeRelations();
        writeTransactions(transactions);
        out.writeVarInt(changeCount);
        LongRuns.writeRuns(out, kinds, changeCount, false);
        LongRuns.writeRuns(out, refs, changeCount, false);
        for (List<Relation> list : truncates) {
            out.writeVarInt(list.size());
            for (Relation r : list) {
                out.writeVarInt(index(r));
            }
        }
        for (int r = 0; r < relations.size(); r++) {
            writeImages(relations.get(r), befores.get(r));
            writeImages(relations.get(r), afters.get(r));
        }
        long typed = columns.typedTextBytes();
        byte[] buf = out.array();
        for (int i = 0; i < 8; i++) {
            buf[i] = (byte) (typed >>> (56 - 8 * i));
        }
    }

    public byte[] bytes() {
        return out.array();
    }

    public int size() {
        return out.size();
    }

    public int encodingsUsed() {
        return columns.usedMask();
    }

    /** Text bytes the decoder formats anew (typed columns), on top of the body. */
    public long typedTextBytes() {
        return columns.typedTextBytes();
    }

    /** The relation with the most row images, for choosing a dictionary; null when none. */
    public Relation busiestRelation() {
        Relation best = null;
        int most = -1;
        for (int r = 0; r < relations.size(); r++) {
            int rows = rows(befores.get(r)) + rows(afters.get(r));
            if (rows > most) {
                most = rows;
                best = relations.get(r);
            }
        }
        return best;
    }

    private int index(Relation r) {
        Integer i = byIdentity.get(r);
        if (i == null) {
            i = byValue.get(r);
            if (i == null) {
                i = relations.size();
                relations.add(r);
                befores.add(ColumnValues.forColumns(r.columns().size()));
                afters.add(ColumnValues.forColumns(r.columns().size()));
                byValue.put(r, i);
            }
            byIdentity.put(r, i);
        }
        return i;
    }

    private static RowImage checked(RowImage image, Relation r) {
        if (image.size() != r.columns().size()) {
            throw new IllegalArgumentException("row image of " + image.size() + " values for " + r.table() + " with "
                    + r.columns().size() + " columns");
        }
        return image;
    }

    private void writeRelations() {
        out.writeVarInt(relations.size());
        for (Relation r : relations) {
            out.writeZigZag(r.oid());
            out.writeString(r.table().schema());
            out.writeString(r.table().table());
            out.writeVarInt(r.replicaIdentity());
            out.writeVarInt(r.columns().size());
            for (Column col : r.columns()) {
                out.writeString(col.name());
                out.writeZigZag(col.typeOid());
                out.writeZigZag(col.typeMod());
                out.writeByte(col.key() ? 1 : 0);
            }
        }
    }

    private void writeTransactions(List<SourceTransaction> txs) {
        int n = txs.size();
        long[] v = new long[n];
        for (int i = 0; i < n; i++) {
            v[i] = txs.get(i).xid();
        }
        writeLongs(v, n);
        for (int i = 0; i < n; i++) {
            v[i] = required(txs.get(i).commitLsn(), "commitLsn").value();
        }
        writeLongs(v, n);
        for (int i = 0; i < n; i++) {
            v[i] = required(txs.get(i).endLsn(), "endLsn").value() - txs.get(i).commitLsn().value();
        }
        writeLongs(v, n);
        for (int i = 0; i < n; i++) {
            v[i] = required(txs.get(i).commitTime(), "commitTime").getEpochSecond();
        }
        writeLongs(v, n);
        for (SourceTransaction t : txs) {
            out.writeVarInt(t.commitTime().getNano());
        }
        for (SourceTransaction t : txs) {
            out.writeVarInt(t.changes().size());
        }
    }

    private static <T> T required(T value, String what) {
        if (value == null) {
            throw new IllegalArgumentException("transaction without " + what);
        }
        return value;
    }

    private void writeLongs(long[] v, int n) {
        int order = LongRuns.bestOrder(v, n);
        columns.markUsed(order == 1 ? Encoding.DELTA : Encoding.DELTA_OF_DELTA);
        out.writeByte(order);
        LongRuns.write(out, v, n, order);
    }

    private static int rows(ColumnValues[] set) {
        return set.length == 0 ? 0 : set[0].rows();
    }

    private void writeImages(Relation r, ColumnValues[] set) {
        if (rows(set) == 0) {
            return;
        }
        List<Column> cols = r.columns();
        for (int c = 0; c < cols.size(); c++) {
            columns.write(set[c], cols.get(c).typeOid(), out);
        }
    }
}
