package io.helios.core.spill;

import io.helios.core.change.Change;
import io.helios.core.change.Column;
import io.helios.core.change.Relation;
import io.helios.core.change.RowImage;
import io.helios.core.change.TableId;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The binary form of {@link Change}s in a spill file. Each relation is written once, the first
 * time a change refers to it, and referred to by number afterwards, so a reader hands out one
 * {@link Relation} instance per shape (the applier matches shapes by identity). Values are the
 * UTF-8 text forms with lengths; {@link RowImage#NULL_LENGTH} and
 * {@link RowImage#UNCHANGED_LENGTH} mark NULL and unchanged TOAST values.
 *
 * <p>Not thread-safe: one codec per file and direction.
 */
final class ChangeCodec {

    private static final int NO_RELATION = -1;

    private final Map<Relation, Integer> written = new IdentityHashMap<>();
    private final List<Relation> read = new ArrayList<>();

    void write(DataOutput out, Change c) throws IOException {
        out.writeByte(c.op().ordinal());
        relation(out, c.relation());
        image(out, c.before());
        image(out, c.after());
        out.writeInt(c.truncated().size());
        for (Relation r : c.truncated()) {
            relation(out, r);
        }
    }

    Change read(DataInput in) throws IOException {
        Change.Op op = Change.Op.values()[in.readUnsignedByte()];
        Relation relation = relation(in);
        RowImage before = image(in);
        RowImage after = image(in);
        int truncated = in.readInt();
        List<Relation> relations = new ArrayList<>(truncated);
        for (int i = 0; i < truncated; i++) {
            relations.add(relation(in));
        }
        return new Change(op, relation, before, after, relations);
    }

    /** A reference to the relation (or to none), with its definition inline the first time. */
    private void relation(DataOutput out, Relation r) throws IOException {
        Integer known = r == null ? Integer.valueOf(NO_RELATION) : written.get(r);
        if (known != null) {
            out.writeBoolean(false);
            out.writeInt(known);
            return;
        }
        int id = written.size();
        written.put(r, id);
        out.writeBoolean(true);
        out.writeInt(r.oid());
        out.writeUTF(r.table().schema());
        out.writeUTF(r.table().table());
        out.writeChar(r.replicaIdentity());
        out.writeInt(r.columns().size());
        for (Column col : r.columns()) {
            out.writeUTF(col.name());
            out.writeInt(col.typeOid());
            out.writeInt(col.typeMod());
            out.writeBoolean(col.key());
        }
        out.writeInt(id);
    }

    private Relation relation(DataInput in) throws IOException {
        if (in.readBoolean()) {
            int oid = in.readInt();
            TableId table = new TableId(in.readUTF(), in.readUTF());
            char identity = in.readChar();
            int n = in.readInt();
            List<Column> columns = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                columns.add(new Column(in.readUTF(), in.readInt(), in.readInt(), in.readBoolean()));
            }
            read.add(new Relation(oid, table, columns, identity));
        }
        int id = in.readInt();
        return id == NO_RELATION ? null : read.get(id);
    }

    private static void image(DataOutput out, RowImage img) throws IOException {
        if (img == null) {
            out.writeInt(-1);
            return;
        }
        out.writeInt(img.size());
        for (int i = 0; i < img.size(); i++) {
            if (img.isUnchanged(i)) {
                out.writeInt(RowImage.UNCHANGED_LENGTH);
            } else if (img.isNull(i)) {
                out.writeInt(RowImage.NULL_LENGTH);
            } else if (img.utf8Bytes() != null) {
                out.writeInt(img.utf8Length(i));
                out.write(img.utf8Bytes(), img.utf8Offset(i), img.utf8Length(i));
            } else {
                byte[] utf8 = img.get(i).getBytes(StandardCharsets.UTF_8);
                out.writeInt(utf8.length);
                out.write(utf8);
            }
        }
    }

    private static RowImage image(DataInput in) throws IOException {
        int n = in.readInt();
        if (n < 0) {
            return null;
        }
        int[] lengths = new int[n];
        int[] offsets = new int[n];
        byte[][] values = new byte[n][];
        int total = 0;
        for (int i = 0; i < n; i++) {
            int len = in.readInt();
            lengths[i] = len;
            if (len > 0) {
                values[i] = new byte[len];
                in.readFully(values[i]);
                total += len;
            }
        }
        byte[] bytes = new byte[total];
        int at = 0;
        for (int i = 0; i < n; i++) {
            offsets[i] = at;
            if (values[i] != null) {
                System.arraycopy(values[i], 0, bytes, at, lengths[i]);
                at += lengths[i];
            }
        }
        return RowImage.ofUtf8(bytes, offsets, lengths);
    }
}
