package io.helios.codec.internal;

import java.util.Arrays;

/**
 * Dictionary coding of a column: each distinct value once, then an index per value, as
 * (index, run) pairs when runs are long enough to pay, else one varint per value. Values are
 * hashed in place in the gathered column; nothing is allocated per value. Not thread-safe.
 */
final class DictionaryBuilder {

    private int[] table = new int[1024];
    private int mask = table.length - 1;
    private int[] entryRow = new int[256];
    private int[] indices = new int[256];
    private int entries;
    private int sampled;

    int sampled() {
        return sampled;
    }

    /** Distinct values among every {@code step}-th present value. */
    int sampleDistinct(ColumnValues cv, int step) {
        clear(Math.min(cv.present, 512));
        sampled = 0;
        for (int r = 0; r < cv.rows; r += step) {
            if (cv.lengths[r] >= 0) {
                sampled++;
                indexOf(cv, r);
            }
        }
        return entries;
    }

    /** Builds the dictionary of all present values; false when it would exceed {@code max} entries. */
    boolean build(ColumnValues cv, int max) {
        clear(Math.min(cv.present, max));
        if (indices.length < cv.present) {
            indices = new int[Math.max(cv.present, indices.length * 2)];
        }
        int m = 0;
        for (int r = 0; r < cv.rows; r++) {
            if (cv.lengths[r] >= 0) {
                int idx = indexOf(cv, r);
                if (entries > max) {
                    return false;
                }
                indices[m++] = idx;
            }
        }
        return true;
    }

    void write(ColumnValues cv, ByteWriter out) {
        out.writeVarInt(entries);
        for (int e = 0; e < entries; e++) {
            out.writeVarInt(cv.lengths[entryRow[e]]);
        }
        for (int e = 0; e < entries; e++) {
            int r = entryRow[e];
            out.writeBytes(cv.data, cv.offsets[r], cv.lengths[r]);
        }
        int m = cv.present;
        if (LongRuns.countRuns(indices, m) * 2 < m) {
            out.writeByte(1);
            LongRuns.writeRuns(out, indices, m, false);
        } else {
            out.writeByte(0);
            for (int i = 0; i < m; i++) {
                out.writeVarInt(indices[i]);
            }
        }
    }

    private void clear(int expected) {
        int size = Integer.highestOneBit(Math.max(64, expected * 2 - 1)) << 1;
        if (table.length < size) {
            table = new int[size];
        } else {
            Arrays.fill(table, 0);
        }
        mask = table.length - 1;
        entries = 0;
    }

    private int indexOf(ColumnValues cv, int r) {
        byte[] d = cv.data;
        int off = cv.offsets[r];
        int len = cv.lengths[r];
        int h = len;
        for (int i = off; i < off + len; i++) {
            h = 31 * h + d[i];
        }
        h ^= h >>> 16;
        int slot = h & mask;
        while (true) {
            int e = table[slot];
            if (e == 0) {
                break;
            }
            int er = entryRow[e - 1];
            if (cv.lengths[er] == len && same(d, cv.offsets[er], off, len)) {
                return e - 1;
            }
            slot = (slot + 1) & mask;
        }
        if (entries == entryRow.length) {
            entryRow = Arrays.copyOf(entryRow, entries * 2);
        }
        entryRow[entries] = r;
        table[slot] = ++entries;
        if (entries * 2 > table.length) {
            rehash(cv);
        }
        return entries - 1;
    }

    private static boolean same(byte[] d, int a, int b, int len) {
        if (len > 16) {
            return Arrays.equals(d, a, a + len, d, b, b + len);
        }
        for (int i = 0; i < len; i++) {
            if (d[a + i] != d[b + i]) {
                return false;
            }
        }
        return true;
    }

    private void rehash(ColumnValues cv) {
        table = new int[table.length * 2];
        mask = table.length - 1;
        for (int e = 0; e < entries; e++) {
            int r = entryRow[e];
            int h = cv.lengths[r];
            for (int i = cv.offsets[r]; i < cv.offsets[r] + cv.lengths[r]; i++) {
                h = 31 * h + cv.data[i];
            }
            h ^= h >>> 16;
            int slot = h & mask;
            while (table[slot] != 0) {
                slot = (slot + 1) & mask;
            }
            table[slot] = e + 1;
        }
    }
}
