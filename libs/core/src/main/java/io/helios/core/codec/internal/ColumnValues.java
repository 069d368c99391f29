package io.helios.core.codec.internal;

import io.helios.core.change.RowImage;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * One column of a set of row images, gathered into one contiguous UTF-8 buffer so the column
 * encoders read it sequentially. Lengths {@link RowImage#NULL_LENGTH} and {@link
 * RowImage#UNCHANGED_LENGTH} mark NULL and unchanged TOAST. Reused across columns of one encode;
 * not thread-safe.
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

    public void gather(List<RowImage> images, int column) {
        int n = images.size();
        if (offsets.length < n) {
            offsets = new int[Math.max(n, offsets.length * 2)];
            lengths = new int[offsets.length];
        }
        rows = n;
        present = 0;
        nulls = 0;
        unchanged = 0;
        int pos = 0;
        for (int r = 0; r < n; r++) {
            RowImage img = images.get(r);
            byte[] src = img.utf8Bytes();
            int len;
            if (src != null) {
                len = img.utf8Length(column);
                if (len >= 0) {
                    pos = ensure(pos, len);
                    System.arraycopy(src, img.utf8Offset(column), data, pos, len);
                }
            } else if (img.isUnchanged(column)) {
                len = RowImage.UNCHANGED_LENGTH;
            } else {
                String s = img.get(column);
                len = s == null ? RowImage.NULL_LENGTH : put(s, pos);
            }
            offsets[r] = pos;
            lengths[r] = len;
            if (len >= 0) {
                pos += len;
                present++;
            } else if (len == RowImage.NULL_LENGTH) {
                nulls++;
            } else {
                unchanged++;
            }
        }
        dataLength = pos;
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
