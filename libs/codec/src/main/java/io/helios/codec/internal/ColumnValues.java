package io.helios.codec.internal;

import io.helios.core.change.RowImage;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * One column of a set of row images, gathered into one contiguous UTF-8 buffer so the column
 * encoders read it sequentially. Lengths {@link RowImage#NULL_LENGTH} and {@link
 * RowImage#UNCHANGED_LENGTH} mark NULL and unchanged TOAST. Rows are appended as the batch is
 * walked ({@link #append}): walking the rows once per column instead costs more than the encoding
 * itself, the row objects being scattered over the heap. Not thread-safe.
 */
public final class ColumnValues {

    byte[] data = new byte[256];
    int[] offsets = new int[16];
    int[] lengths = new int[16];
    int rows;
    int present;
    int nulls;
    int unchanged;
    int dataLength;

    /** The columns of one image set, empty. */
    public static ColumnValues[] forColumns(int columns) {
        ColumnValues[] cvs = new ColumnValues[columns];
        for (int c = 0; c < columns; c++) {
            cvs[c] = new ColumnValues();
        }
        return cvs;
    }

    /**
     * Appends one row to the columns of its image set. Called once per row as the batch is
     * walked, so each row's arrays are read once, while they are in cache.
     */
    public static void append(ColumnValues[] into, RowImage img) {
        int columns = into.length;
        if (columns == 0) {
            return;
        }
        int r = into[0].rows;
        for (int c = 0; c < columns; c++) {
            into[c].grow(r + 1);
        }
        byte[] src = img.utf8Bytes();
        if (src != null) {
            for (int c = 0; c < columns; c++) {
                into[c].add(r, src, img.utf8Offset(c), img.utf8Length(c));
            }
            return;
        }
        for (int c = 0; c < columns; c++) {
            ColumnValues cv = into[c];
            if (img.isUnchanged(c)) {
                cv.add(r, null, 0, RowImage.UNCHANGED_LENGTH);
            } else {
                String s = img.get(c);
                cv.add(r, null, 0, s == null ? RowImage.NULL_LENGTH : cv.put(s, cv.dataLength));
            }
        }
    }

    private void grow(int n) {
        if (offsets.length < n) {
            offsets = Arrays.copyOf(offsets, Math.max(n, offsets.length * 2));
            lengths = Arrays.copyOf(lengths, offsets.length);
        }
        rows = n;
    }

    /** Row {@code r}'s value: copied from {@code src} when given, else already at {@link #dataLength}. */
    private void add(int r, byte[] src, int off, int len) {
        int pos = dataLength;
        offsets[r] = pos;
        lengths[r] = len;
        if (len >= 0) {
            if (src != null) {
                if (data.length - pos < len) {
                    data = Arrays.copyOf(data, Math.max(data.length * 2, pos + len));
                }
                System.arraycopy(src, off, data, pos, len);
            }
            dataLength = pos + len;
            present++;
        } else if (len == RowImage.NULL_LENGTH) {
            nulls++;
        } else {
            unchanged++;
        }
    }

    private int put(String s, int pos) {
        int n = s.length();
        pos = ensure(pos, n);
        byte[] d = data;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c >= 0x80) {
                byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
                pos = ensure(pos, utf8.length);
                System.arraycopy(utf8, 0, data, pos, utf8.length);
                return utf8.length;
            }
            d[pos + i] = (byte) c;
        }
        return n;
    }

    /** Makes room for {@code len} bytes at {@code pos}; returns {@code pos}. */
    private int ensure(int pos, int len) {
        if (data.length - pos < len) {
            data = Arrays.copyOf(data, Math.max(data.length * 2, pos + len));
        }
        return pos;
    }

    public int rows() {
        return rows;
    }

    public boolean isPresent(int r) {
        return lengths[r] >= 0;
    }
}
