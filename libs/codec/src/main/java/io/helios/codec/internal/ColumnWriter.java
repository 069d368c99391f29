package io.helios.codec.internal;

import io.helios.core.change.RowImage;

import java.util.Arrays;

/**
 * Writes one column chunk: the encoding id, NULL and unchanged-TOAST bitmaps, then the present
 * values in the encoding chosen from the column's type and a sample of its values. A typed
 * encoding is used only when every value parses as text that formatting gives back byte for
 * byte; otherwise the column falls back to a byte-exact encoding (dictionary or plain).
 * Reused across the columns of one encode; not thread-safe.
 */
public final class ColumnWriter {

    private static final int SAMPLE = 32;
    private static final int CARDINALITY_SAMPLE = 256;
    private static final int MAX_DICTIONARY = 1 << 16;

    private long[] a = new long[256];
    private long[] b = new long[256];
    private int[] s = new int[256];
    private final byte[] scratch = new byte[64];
    private final ByteWriter bits = new ByteWriter(1024);
    private final DictionaryBuilder dictionary = new DictionaryBuilder();
    private int usedMask;
    private long typedTextBytes;
    /** Values the last {@link #sampleParses} parsed, at the front of the scratch arrays. */
    private int sampled;

    /** Bits of the encodings written so far. */
    public int usedMask() {
        return usedMask;
    }

    /** Text bytes of the values written in typed encodings: what the decoder formats anew. */
    public long typedTextBytes() {
        return typedTextBytes;
    }

    public void markUsed(Encoding e) {
        usedMask |= e.bit();
    }

    public void write(ColumnValues cv, int typeOid, ByteWriter out) {
        int m = cv.present;
        if (a.length < m) {
            int size = Math.max(m, a.length * 2);
            a = new long[size];
            b = new long[size];
            s = new int[size];
        }
        if (m == 0) {
            header(Encoding.PLAIN, cv, out);
            return;
        }
        if (PgTypes.isInteger(typeOid) && writeIntegers(cv, out)) {
            return;
        }
        if (typeOid == PgTypes.NUMERIC && writeDecimals(cv, out)) {
            return;
        }
        if ((typeOid == PgTypes.FLOAT4 || typeOid == PgTypes.FLOAT8) && writeFloatColumn(cv, typeOid == PgTypes.FLOAT4, out)) {
            return;
        }
        int timeKind = PgTypes.timeKind(typeOid);
        if (timeKind >= 0 && writeTimes(cv, timeKind, out)) {
            return;
        }
        if (typeOid == PgTypes.UUID && writeUuids(cv, out)) {
            return;
        }
        if (typeOid == PgTypes.BYTEA && writeBytea(cv, out)) {
            return;
        }
        if (lowCardinality(cv) && dictionary.build(cv, Math.min(MAX_DICTIONARY, Math.max(16, m / 2)))) {
            header(Encoding.DICTIONARY, cv, out);
            dictionary.write(cv, out);
            return;
        }
        header(Encoding.PLAIN, cv, out);
        writePlain(cv, out);
    }

    private void header(Encoding e, ColumnValues cv, ByteWriter out) {
        usedMask |= e.bit();
        out.writeByte(e.id());
        int flags = (cv.nulls > 0 ? 1 : 0) | (cv.unchanged > 0 ? 2 : 0) | (cv.nulls == cv.rows ? 4 : 0);
        out.writeByte(flags);
        if ((flags & 4) != 0) {
            return;
        }
        if (cv.nulls > 0) {
            bitmap(cv, RowImage.NULL_LENGTH, out);
        }
        if (cv.unchanged > 0) {
            bitmap(cv, RowImage.UNCHANGED_LENGTH, out);
        }
    }

    private static void bitmap(ColumnValues cv, int marker, ByteWriter out) {
        int n = cv.rows;
        int at = out.reserve((n + 7) >>> 3);
        byte[] buf = out.array();
        Arrays.fill(buf, at, at + ((n + 7) >>> 3), (byte) 0);
        for (int r = 0; r < n; r++) {
            if (cv.lengths[r] == marker) {
                buf[at + (r >>> 3)] |= (byte) (1 << (r & 7));
            }
        }
    }

    private void writePlain(ColumnValues cv, ByteWriter out) {
        for (int r = 0; r < cv.rows; r++) {
            if (cv.lengths[r] >= 0) {
                out.writeVarInt(cv.lengths[r]);
            }
        }
        out.ensure(cv.dataLength);
        for (int r = 0; r < cv.rows; r++) {
            if (cv.lengths[r] > 0) {
                out.writeBytes(cv.data, cv.offsets[r], cv.lengths[r]);
            }
        }
    }

    private void typed(ColumnValues cv) {
        typedTextBytes += cv.dataLength;
    }

    private boolean writeIntegers(ColumnValues cv, ByteWriter out) {
        int m = 0;
        for (int r = 0; r < cv.rows; r++) {
            if (cv.lengths[r] >= 0 && !TextNumbers.parseLong(cv.data, cv.offsets[r], cv.lengths[r], a, m++)) {
                return false;
            }
        }
        int order = LongRuns.bestOrder(a, m);
        header(order == 1 ? Encoding.DELTA : Encoding.DELTA_OF_DELTA, cv, out);
        LongRuns.write(out, a, m, order);
        typed(cv);
        return true;
    }

    private boolean parseDecimals(ColumnValues cv) {
        int m = 0;
        for (int r = 0; r < cv.rows; r++) {
            if (cv.lengths[r] >= 0 && !TextNumbers.parseDecimal(cv.data, cv.offsets[r], cv.lengths[r], a, s, m++)) {
                return false;
            }
        }
        return true;
    }

    private boolean writeDecimals(ColumnValues cv, ByteWriter out) {
        if (!sampleParses(cv, 0) || !parseDecimals(cv)) {
            return false;
        }
        int m = cv.present;
        header(Encoding.DECIMAL, cv, out);
        LongRuns.writeRuns(out, s, m, false);
        int order = LongRuns.bestOrder(a, m);
        out.writeByte(order);
        LongRuns.write(out, a, m, order);
        typed(cv);
        return true;
    }

    private boolean parseFloats(ColumnValues cv, boolean float4) {
        int m = 0;
        for (int r = 0; r < cv.rows; r++) {
            if (cv.lengths[r] >= 0 && !TextFloats.parse(cv.data, cv.offsets[r], cv.lengths[r], float4, b, m++, scratch)) {
                return false;
            }
        }
        return true;
    }

    /** Floats as decimals when their text is short decimal text that costs less so, else Gorilla. */
    private boolean writeFloatColumn(ColumnValues cv, boolean float4, ByteWriter out) {
        boolean decimals = sampleParses(cv, 0);
        boolean floats = sampleParses(cv, float4 ? 2 : 1);
        if (decimals && floats) {
            decimals = decimalSampleCost(cv) * 8 <= floatSampleBits(cv, float4);
        }
        if (decimals && writeDecimals(cv, out)) {
            return true;
        }
        if (!floats || !parseFloats(cv, float4)) {
            return false;
        }
        header(Encoding.GORILLA, cv, out);
        out.writeByte(float4 ? 1 : 0);
        bits.reset();
        Gorilla.encode(b, cv.present, bits);
        out.writeVarInt(bits.size());
        out.writeBytes(bits.array(), 0, bits.size());
        typed(cv);
        return true;
    }

    private boolean writeTimes(ColumnValues cv, int kind, ByteWriter out) {
        int m = 0;
        for (int r = 0; r < cv.rows; r++) {
            if (cv.lengths[r] >= 0 && !TextTimes.parse(cv.data, cv.offsets[r], cv.lengths[r], kind, a, s, m++)) {
                return false;
            }
        }
        header(Encoding.TIMESTAMP, cv, out);
        out.writeByte(kind);
        int order = LongRuns.bestOrder(a, m);
        out.writeByte(order);
        LongRuns.write(out, a, m, order);
        if (kind == TextTimes.TIMESTAMPTZ) {
            LongRuns.writeRuns(out, s, m, true);
        }
        typed(cv);
        return true;
    }

    private boolean writeUuids(ColumnValues cv, ByteWriter out) {
        int m = 0;
        for (int r = 0; r < cv.rows; r++) {
            if (cv.lengths[r] >= 0 && !TextBinary.parseUuid(cv.data, cv.offsets[r], cv.lengths[r], a, b, m++)) {
                return false;
            }
        }
        header(Encoding.UUID, cv, out);
        for (int i = 0; i < m; i++) {
            out.writeLong(a[i]);
            out.writeLong(b[i]);
        }
        typed(cv);
        return true;
    }

    private boolean writeBytea(ColumnValues cv, ByteWriter out) {
        for (int r = 0; r < cv.rows; r++) {
            if (cv.lengths[r] >= 0 && !TextBinary.isByteaHex(cv.data, cv.offsets[r], cv.lengths[r])) {
                return false;
            }
        }
        header(Encoding.BYTEA_HEX, cv, out);
        for (int r = 0; r < cv.rows; r++) {
            if (cv.lengths[r] >= 0) {
                out.writeVarInt((cv.lengths[r] - 2) / 2);
            }
        }
        for (int r = 0; r < cv.rows; r++) {
            int len = cv.lengths[r];
            if (len > 2) {
                int at = out.reserve((len - 2) / 2);
                TextBinary.decodeHex(cv.data, cv.offsets[r], len, out.array(), at);
            }
        }
        typed(cv);
        return true;
    }

    /** Whether an evenly spread sample parses: kind 0 decimal, 1 float8, 2 float4. */
    private boolean sampleParses(ColumnValues cv, int kind) {
        int step = Math.max(1, cv.rows / SAMPLE);
        int i = 0;
        for (int r = 0; r < cv.rows; r += step) {
            if (cv.lengths[r] < 0) {
                continue;
            }
            boolean ok = kind == 0
                    ? TextNumbers.parseDecimal(cv.data, cv.offsets[r], cv.lengths[r], a, s, i)
                    : TextFloats.parse(cv.data, cv.offsets[r], cv.lengths[r], kind == 2, b, i, scratch);
            if (!ok) {
                return false;
            }
            i++;
        }
        sampled = i;
        return true;
    }

    private long decimalSampleCost(ColumnValues cv) {
        sampleParses(cv, 0);
        long bytes = 0;
        for (int i = 1; i < sampled; i++) {
            bytes += ByteWriter.varLongSize(ByteWriter.zigZag(a[i] - a[i - 1])) + (s[i] != s[i - 1] ? 2 : 0);
        }
        return bytes;
    }

    private long floatSampleBits(ColumnValues cv, boolean float4) {
        sampleParses(cv, float4 ? 2 : 1);
        return Gorilla.estimateBits(b, sampled);
    }

    /** Whether a sample repeats values enough for a dictionary to pay. */
    private boolean lowCardinality(ColumnValues cv) {
        int step = Math.max(1, cv.rows / CARDINALITY_SAMPLE);
        int distinct = dictionary.sampleDistinct(cv, step);
        return distinct * 3 <= dictionary.sampled() || distinct <= 2;
    }
}
