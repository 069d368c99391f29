package io.helios.pgoutput;

import io.helios.core.change.Change;
import io.helios.core.change.Column;
import io.helios.core.change.Lsn;
import io.helios.core.change.Relation;
import io.helios.core.change.RowImage;
import io.helios.core.change.TableId;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Decodes {@code pgoutput} protocol version 1 messages, one per {@link ByteBuffer} (the
 * payload of one XLogData message, positioned at the message tag).
 *
 * <p>Keeps the relation cache of the stream: an 'R' message replaces the cached shape of its
 * oid, and every later row change carries that new {@link Relation}, which is how schema
 * evolution reaches the applier. Tuple values are decoded straight from the buffer into
 * {@link RowImage}s of text: 'n' is SQL NULL, 'u' is {@link RowImage#UNCHANGED}, 't' is the
 * type's text output in UTF-8. A key-only old tuple ('K') is aligned with the relation's
 * columns, non-key columns null.
 *
 * <p>Threading: not thread-safe; one decoder per stream, used by the stream's reader thread.
 * A malformed message or a row of an undescribed relation throws {@link IllegalStateException}.
 */
public final class PgOutputDecoder {

    /** 2000-01-01T00:00:00Z, the PostgreSQL epoch, in Unix seconds. */
    private static final long PG_EPOCH_SECONDS = 946_684_800L;

    private final RelationCache relations = new RelationCache();

    /** Decodes the message at the buffer's position, consuming it. */
    public PgOutputMessage decode(ByteBuffer message) {
        char tag = (char) message.get();
        return switch (tag) {
            case 'I' -> new PgOutputMessage.RowChange(insert(message));
            case 'U' -> new PgOutputMessage.RowChange(update(message));
            case 'D' -> new PgOutputMessage.RowChange(delete(message));
            case 'B' -> begin(message);
            case 'C' -> commit(message);
            case 'R' -> new PgOutputMessage.RelationMessage(relationMessage(message));
            case 'T' -> new PgOutputMessage.RowChange(truncate(message));
            case 'O' -> origin(message);
            case 'Y' -> type(message);
            case 'M' -> new PgOutputMessage.Ignored(tag);
            default -> throw new IllegalStateException("unknown pgoutput message type '" + tag + "' ("
                    + (int) tag + "); only protocol version 1 is supported");
        };
    }

    /** The cached shape of a relation, or {@code null} when the stream has not described it yet. */
    public Relation relation(int oid) {
        return relations.get(oid);
    }

    /** Microseconds since the PostgreSQL epoch, as an instant. */
    public static Instant pgTimestamp(long micros) {
        return Instant.ofEpochSecond(PG_EPOCH_SECONDS + Math.floorDiv(micros, 1_000_000L),
                Math.floorMod(micros, 1_000_000L) * 1_000L);
    }

    private static PgOutputMessage begin(ByteBuffer b) {
        Lsn finalLsn = new Lsn(b.getLong());
        Instant commitTime = pgTimestamp(b.getLong());
        long xid = Integer.toUnsignedLong(b.getInt());
        return new PgOutputMessage.Begin(xid, finalLsn, commitTime);
    }

    private static PgOutputMessage commit(ByteBuffer b) {
        b.get(); // flags, unused in protocol version 1
        Lsn commitLsn = new Lsn(b.getLong());
        Lsn endLsn = new Lsn(b.getLong());
        return new PgOutputMessage.Commit(commitLsn, endLsn, pgTimestamp(b.getLong()));
    }

    private static PgOutputMessage origin(ByteBuffer b) {
        Lsn commitLsn = new Lsn(b.getLong());
        return new PgOutputMessage.Origin(commitLsn, readCString(b));
    }

    private static PgOutputMessage type(ByteBuffer b) {
        int oid = b.getInt();
        String namespace = namespace(readCString(b));
        return new PgOutputMessage.Type(oid, namespace, readCString(b));
    }

    private Relation relationMessage(ByteBuffer b) {
        int oid = b.getInt();
        String namespace = namespace(readCString(b));
        String name = readCString(b);
        char replicaIdentity = (char) b.get();
        int count = b.getShort() & 0xFFFF;
        List<Column> columns = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            boolean key = (b.get() & 1) != 0;
            String column = readCString(b);
            int typeOid = b.getInt();
            columns.add(new Column(column, typeOid, b.getInt(), key));
        }
        Relation relation = new Relation(oid, new TableId(namespace, name), columns, replicaIdentity);
        relations.put(relation);
        return relation;
    }

    private Change insert(ByteBuffer b) {
        Relation relation = known(b.getInt());
        expect(b, 'N', "insert");
        return Change.insert(relation, tuple(b, relation, false));
    }

    private Change update(ByteBuffer b) {
        Relation relation = known(b.getInt());
        char kind = (char) b.get();
        RowImage before = null;
        if (kind == 'K' || kind == 'O') {
            before = tuple(b, relation, kind == 'K');
            kind = (char) b.get();
        }
        if (kind != 'N') {
            throw new IllegalStateException("update of " + relation.table() + ": expected 'N', got '" + kind + "'");
        }
        return Change.update(relation, before, tuple(b, relation, false));
    }

    private Change delete(ByteBuffer b) {
        Relation relation = known(b.getInt());
        char kind = (char) b.get();
        if (kind != 'K' && kind != 'O') {
            throw new IllegalStateException("delete of " + relation.table() + ": expected 'K' or 'O', got '" + kind + "'");
        }
        return Change.delete(relation, tuple(b, relation, kind == 'K'));
    }

    private Change truncate(ByteBuffer b) {
        int count = b.getInt();
        b.get(); // options: CASCADE / RESTART IDENTITY, which the target need not repeat
        List<Relation> truncated = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            truncated.add(known(b.getInt()));
        }
        return Change.truncate(truncated);
    }

    private Relation known(int oid) {
        Relation relation = relations.get(oid);
        if (relation == null) {
            throw new IllegalStateException("row change for relation oid " + Integer.toUnsignedString(oid)
                    + " before its Relation message");
        }
        return relation;
    }

    private static RowImage tuple(ByteBuffer b, Relation relation, boolean keyOnly) {
        int count = b.getShort() & 0xFFFF;
        int width = relation.columns().size();
        if (count == width && b.hasArray()) {
            return view(b, relation, count);
        }
        String[] values = new String[count];
        for (int i = 0; i < count; i++) {
            values[i] = value(b, relation, i);
        }
        if (count == width) {
            return RowImage.of(values);
        }
        if (keyOnly) {
            return alignKey(values, relation);
        }
        throw new IllegalStateException("tuple of " + relation.table() + " has " + count
                + " columns, relation has " + width);
    }

    /**
     * The tuple's values as a view of the message's bytes: no value is decoded here, and the
     * applier copies the bytes straight into its COPY stream. The message array is the driver's
     * fresh copy of one CopyData message, never reused.
     */
    private static RowImage view(ByteBuffer b, Relation relation, int count) {
        byte[] array = b.array();
        int base = b.arrayOffset();
        int[] offsets = new int[count];
        int[] lengths = new int[count];
        for (int i = 0; i < count; i++) {
            byte kind = b.get();
            switch (kind) {
                case 't' -> {
                    int length = b.getInt();
                    if (length < 0 || length > b.remaining()) {
                        throw new IllegalStateException("column " + i + " of " + relation.table()
                                + ": value of " + length + " bytes overruns the message");
                    }
                    offsets[i] = base + b.position();
                    lengths[i] = length;
                    b.position(b.position() + length);
                }
                case 'n' -> lengths[i] = RowImage.NULL_LENGTH;
                case 'u' -> lengths[i] = RowImage.UNCHANGED_LENGTH;
                default -> throw new IllegalStateException("column " + i + " of " + relation.table()
                        + ": unsupported tuple value kind '" + (char) kind + "' (binary mode is not supported)");
            }
        }
        return RowImage.ofUtf8(array, offsets, lengths);
    }

    private static String value(ByteBuffer b, Relation relation, int column) {
        byte kind = b.get();
        switch (kind) {
            case 't':
                return readText(b);
            case 'n':
                return null;
            case 'u':
                return RowImage.UNCHANGED;
            default:
                throw new IllegalStateException("column " + column + " of " + relation.table()
                        + ": unsupported tuple value kind '" + (char) kind + "' (binary mode is not supported)");
        }
    }

    /** A key tuple that carries only the key columns: spread them over the relation's key positions. */
    private static RowImage alignKey(String[] keyValues, Relation relation) {
        List<Column> columns = relation.columns();
        String[] aligned = new String[columns.size()];
        int next = 0;
        for (int i = 0; i < aligned.length && next < keyValues.length; i++) {
            if (columns.get(i).key()) {
                aligned[i] = keyValues[next++];
            }
        }
        if (next != keyValues.length) {
            throw new IllegalStateException("key tuple of " + relation.table() + " has " + keyValues.length
                    + " columns, relation has " + next + " key columns");
        }
        return RowImage.of(aligned);
    }

    private static void expect(ByteBuffer b, char expected, String what) {
        char kind = (char) b.get();
        if (kind != expected) {
            throw new IllegalStateException(what + ": expected '" + expected + "', got '" + kind + "'");
        }
    }

    /** pgoutput sends an empty namespace for pg_catalog. */
    private static String namespace(String sent) {
        return sent.isEmpty() ? "pg_catalog" : sent;
    }

    private static String readText(ByteBuffer b) {
        int length = b.getInt();
        if (b.hasArray()) {
            int position = b.position();
            String text = new String(b.array(), b.arrayOffset() + position, length, StandardCharsets.UTF_8);
            b.position(position + length);
            return text;
        }
        byte[] bytes = new byte[length];
        b.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static String readCString(ByteBuffer b) {
        int start = b.position();
        int end = start;
        while (b.get(end) != 0) {
            end++;
        }
        byte[] bytes = new byte[end - start];
        b.get(bytes);
        b.get(); // the terminating zero
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
