package io.helios.codec.internal;

import io.helios.core.change.RowImage;

/**
 * Reads one column chunk written by {@link ColumnWriter} into the offsets and lengths of the
 * rows' images: plain and dictionary values where they lie in the body, typed values formatted
 * into the {@link DecodeArena}. Every count, length and value is checked; malformed input
 * throws {@link Corrupt}. Reused across the columns of one decode; not thread-safe.
 */
public final class ColumnReader {

    private long[] a = new long[256];
    private long[] b = new long[256];
    private int[] s = new int[256];
    private int[] at = new int[256];
    private int[] len = new int[256];
    private int[] rowOf = new int[256];

    /**
     * @param offsets per row, the offsets of its values (column {@code col} is filled in)
     * @param lengths per row, the lengths (or NULL/unchanged markers) of its values
     * @param allowed the header's mask of encodings; a chunk in another encoding is corrupt
     */
    public void read(ByteReader in, DecodeArena arena, int col, int[][] offsets, int[][] lengths, int allowed) {
        int n = offsets.length;
        Encoding e = Encoding.byId(in.readByte());
        if (e == null || (allowed & e.bit()) == 0) {
            throw Corrupt.of("column chunk in an encoding the header does not declare");
        }
        int flags = in.readByte();
        if ((flags & ~7) != 0) {
            throw Corrupt.of("unknown column flags " + flags);
        }
        if ((flags & 4) != 0) {
            for (int r = 0; r < n; r++) {
                lengths[r][col] = RowImage.NULL_LENGTH;
            }
            return;
        }
        boolean[] nulls = (flags & 1) != 0 ? in.readBitmap(n) : null;
        boolean[] unchanged = (flags & 2) != 0 ? in.readBitmap(n) : null;
        grow(n);
        int m = 0;
        for (int r = 0; r < n; r++) {
            if (nulls != null && nulls[r]) {
                lengths[r][col] = RowImage.NULL_LENGTH;
            } else if (unchanged != null && unchanged[r]) {
                lengths[r][col] = RowImage.UNCHANGED_LENGTH;
            } else {
                rowOf[m++] = r;
            }
        }
        switch (e) {
            case PLAIN -> readPlain(in, m);
            case DICTIONARY -> readDictionary(in, m);
            case DELTA, DELTA_OF_DELTA -> {
                LongRuns.read(in, a, m, e == Encoding.DELTA ? 1 : 2);
                formatLongs(arena, m);
            }
            case DECIMAL -> readDecimals(in, arena, m);
            case GORILLA -> readFloats(in, arena, m);
            case TIMESTAMP -> readTimes(in, arena, m);
            case UUID -> readUuids(in, arena, m);
            case BYTEA_HEX -> readBytea(in, arena, m);
        }
        for (int i = 0; i < m; i++) {
            int r = rowOf[i];
            offsets[r][col] = at[i];
            lengths[r][col] = len[i];
        }
    }

    private void grow(int n) {
        if (a.length < n) {
            int size = Math.max(n, a.length * 2);
            a = new long[size];
            b = new long[size];
            s = new int[size];
            at = new int[size];
            len = new int[size];
            rowOf = new int[size];
        }
    }

    private void readLengths(ByteReader in, int m) {
        for (int i = 0; i < m; i++) {
            len[i] = in.readCount(in.remaining(), "value length");
        }
    }

    private void readPlain(ByteReader in, int m) {
        readLengths(in, m);
        for (int i = 0; i < m; i++) {
            at[i] = in.skip(len[i]);
        }
    }

    private void readDictionary(ByteReader in, int m) {
        int k = in.readCount(Math.max(m, 0), "dictionary size");
        int[] entryLen = new int[k];
        int[] entryAt = new int[k];
        for (int e = 0; e < k; e++) {
            entryLen[e] = in.readCount(in.remaining(), "dictionary entry length");
        }
        for (int e = 0; e < k; e++) {
            entryAt[e] = in.skip(entryLen[e]);
        }
        int mode = in.readByte();
        if (mode == 1) {
            LongRuns.readRuns(in, s, m, false);
        } else if (mode == 0) {
            for (int i = 0; i < m; i++) {
                s[i] = in.readVarInt();
            }
        } else {
            throw Corrupt.of("unknown dictionary index mode " + mode);
        }
        for (int i = 0; i < m; i++) {
            int idx = s[i];
            if (idx < 0 || idx >= k) {
                throw Corrupt.of("dictionary index " + idx + " out of " + k);
            }
            at[i] = entryAt[idx];
            len[i] = entryLen[idx];
        }
    }

    private void formatLongs(DecodeArena arena, int m) {
        for (int i = 0; i < m; i++) {
            int p = arena.reserve(20);
            int end = TextNumbers.formatLong(a[i], arena.array(), p);
            put(arena, i, p, end);
        }
    }

    private void readDecimals(ByteReader in, DecodeArena arena, int m) {
        LongRuns.readRuns(in, s, m, false);
        LongRuns.read(in, a, m, order(in));
        for (int i = 0; i < m; i++) {
            if (!TextNumbers.validDecimal(a[i], s[i])) {
                throw Corrupt.of("decimal out of range");
            }
            int p = arena.reserve(24);
            put(arena, i, p, TextNumbers.formatDecimal(a[i], s[i], arena.array(), p));
        }
    }

    private void readFloats(ByteReader in, DecodeArena arena, int m) {
        int kind = in.readByte();
        if (kind > 1) {
            throw Corrupt.of("unknown float kind " + kind);
        }
        int bytes = in.readCount(in.remaining(), "gorilla length");
        int start = in.skip(bytes);
        Gorilla.decode(in.array(), start, bytes, m, a);
        for (int i = 0; i < m; i++) {
            int p = arena.reserve(TextFloats.MAX_LENGTH);
            put(arena, i, p, TextFloats.format(a[i], kind == 1, arena.array(), p));
        }
    }

    private void readTimes(ByteReader in, DecodeArena arena, int m) {
        int kind = in.readByte();
        if (kind > TextTimes.DATE) {
            throw Corrupt.of("unknown time kind " + kind);
        }
        LongRuns.read(in, a, m, order(in));
        if (kind == TextTimes.TIMESTAMPTZ) {
            LongRuns.readRuns(in, s, m, true);
        }
        // successive values mostly fall on the same day: its text is formatted once
        long cachedDay = Long.MIN_VALUE;
        byte[] date = new byte[TextTimes.MAX_LENGTH];
        int dateLength = 0;
        for (int i = 0; i < m; i++) {
            int offset = kind == TextTimes.TIMESTAMPTZ ? s[i] : 0;
            if (Math.abs(offset) > TextTimes.MAX_OFFSET_SECONDS) {
                throw Corrupt.of("UTC offset out of range");
            }
            int p = arena.reserve(TextTimes.MAX_LENGTH);
            byte[] dst = arena.array();
            if (TextTimes.isInfinite(a[i])) {
                put(arena, i, p, TextTimes.formatInfinity(a[i], dst, p));
                continue;
            }
            long day = TextTimes.days(a[i], kind);
            if (day != cachedDay) {
                cachedDay = day;
                dateLength = TextTimes.formatDate(day, date, 0);
            }
            System.arraycopy(date, 0, dst, p, dateLength);
            put(arena, i, p, TextTimes.formatRest(a[i], offset, kind, day < TextTimes.FIRST_DAY_AD, dst, p + dateLength));
        }
    }

    private void readUuids(ByteReader in, DecodeArena arena, int m) {
        for (int i = 0; i < m; i++) {
            long hi = in.readLong();
            long lo = in.readLong();
            int p = arena.reserve(TextBinary.UUID_LENGTH);
            put(arena, i, p, TextBinary.formatUuid(hi, lo, arena.array(), p));
        }
    }

    private void readBytea(ByteReader in, DecodeArena arena, int m) {
        readLengths(in, m);
        for (int i = 0; i < m; i++) {
            int raw = in.skip(len[i]);
            int p = arena.reserve(2 + 2 * len[i]);
            put(arena, i, p, TextBinary.encodeHex(in.array(), raw, len[i], arena.array(), p));
        }
    }

    private static int order(ByteReader in) {
        int order = in.readByte();
        if (order != 1 && order != 2) {
            throw Corrupt.of("unknown delta order " + order);
        }
        return order;
    }

    private void put(DecodeArena arena, int i, int start, int end) {
        at[i] = start;
        len[i] = end - start;
        arena.advance(end);
    }
}
