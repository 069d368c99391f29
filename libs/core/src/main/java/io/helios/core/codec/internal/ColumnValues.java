package io.helios.core.codec.internal;

import io.helios.core.change.RowImage;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * One column of a set of row images, gathered into one contiguous UTF-8 buffer so the column
 * encoders read it sequentially. Lengths {@link RowImage#NULL_LENGTH} and {@link
 * RowImage#UNCHANGED_LENGTH} mark NULL and unchanged TOAST. {@link #gatherAll} fills all columns
 * of a set in one pass over the rows (one pass per column would walk every row's arrays once per
 * column, which on wide tables costs more than the encoding itself). Not thread-safe.
 */
public final class ColumnValues {

    byte[] data = new byte[4096];
    int[] offsets = new int[256];
    int[] lengths = new int[256];
    int rows;
    int present;
    int nulls;
    int unchanged;
    int dataLength;

    /** Gathers every column of {@code images} into {@code into[0..columns)}, in one pass over the rows. */
    public static void gatherAll(List<RowImage> images, ColumnValues[] into, int columns) {
        int n = images.size();
        for (int c = 0; c < columns; c++) {
            into[c].reset(n);
        }
        for (int r = 0; r < n; r++) {
            RowImage img = images.get(r);
            byte[] src = img.utf8Bytes();
            if (src != null) {
                for (int c = 0; c < columns; c++) {
                    into[c].add(r, src, img.utf8Offset(c), img.utf8Length(c));
                }
            } else {
                for (int c = 0; c < columns; c++) {
                    ColumnValues cv = into[c];
                    if (img.isUnchanged(c)) {
                        cv.add(r, null, 0, RowImage.UNCHANGED_LENGTH);
                    } else {
                        String s = img.get(c);
                        if (s == null) {
                            cv.add(r, null, 0, RowImage.NULL_LENGTH);
                        } else {
                            int len = cv.put(s, cv.dataLength);
                            cv.add(r, null, 0, len);
                        }
                    }
                }
            }
        }
    }

    private void reset(int n) {
        if (offsets.length < n) {
            offsets = new int[Math.max(n, offsets.length * 2)];
            lengths = new int[offsets.length];
        }
        rows = n;
        present = 0;
        nulls = 0;
        unchanged = 0;
        dataLength = 0;
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
