package io.helios.postgres.apply;

import io.helios.core.change.RowImage;
import org.postgresql.copy.CopyIn;

import java.nio.charset.StandardCharsets;
import java.sql.SQLException;

/**
 * Streams rows to a {@code COPY ... FROM STDIN} in text format, encoding straight into a
 * reusable buffer that is shipped every 64 KiB, so the server parses one chunk while the next is
 * built. Escaping works on the UTF-8 bytes: the specials (backslash, tab, newline, carriage
 * return) are ASCII and never occur inside a multi-byte sequence. Not thread-safe.
 */
final class CopyText {

    private static final int CHUNK = 64 * 1024;

    private final CopyIn copy;
    private byte[] buffer = new byte[CHUNK + 1024];
    private int length;

    CopyText(CopyIn copy) {
        this.copy = copy;
    }

    /** Appends value i of the row: its received UTF-8 bytes when the image holds them, else its string. */
    void value(RowImage row, int i, boolean first) throws SQLException {
        if (!first) {
            put((byte) '\t');
        }
        byte[] raw = row.utf8Bytes();
        if (raw == null) {
            String value = row.get(i);
            if (value == null) {
                putNull();
            } else {
                byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
                escaped(bytes, 0, bytes.length);
            }
            return;
        }
        int n = row.utf8Length(i);
        if (n == RowImage.NULL_LENGTH) {
            putNull();
        } else if (n == RowImage.UNCHANGED_LENGTH) {
            throw new IllegalStateException("column " + i + " is an unchanged TOAST value");
        } else {
            escaped(raw, row.utf8Offset(i), n);
        }
    }

    private void putNull() {
        put((byte) '\\');
        put((byte) 'N');
    }

    /**
     * Copies the bytes, escaping the four specials; runs without specials are copied in bulk.
     * Large values go in slices, shipping full chunks, so the buffer stays near {@link #CHUNK}.
     */
    private void escaped(byte[] src, int from, int count) throws SQLException {
        int end = from + count;
        for (int slice = from; slice < end; slice += CHUNK) {
            if (length >= CHUNK) {
                ship();
            }
            escapedSlice(src, slice, Math.min(end, slice + CHUNK));
        }
    }

    private void escapedSlice(byte[] src, int from, int end) {
        ensure(2 * (end - from));
        int run = from;
        for (int p = from; p < end; p++) {
            byte b = src[p];
            if (b > '\r' && b != '\\' || b < '\t') {
                continue; // neither a special nor in the tab..CR range (multi-byte UTF-8 is negative)
            }
            byte escape = switch (b) {
                case '\\' -> '\\';
                case '\n' -> 'n';
                case '\r' -> 'r';
                case '\t' -> 't';
                default -> 0;
            };
            if (escape == 0) {
                continue;
            }
            int n = p - run;
            System.arraycopy(src, run, buffer, length, n);
            length += n;
            buffer[length++] = '\\';
            buffer[length++] = escape;
            run = p + 1;
        }
        int n = end - run;
        System.arraycopy(src, run, buffer, length, n);
        length += n;
    }

    void endRow() throws SQLException {
        put((byte) '\n');
        if (length >= CHUNK) {
            ship();
        }
    }

    /** Sends what is buffered and ends the COPY; returns the rows the server took. */
    long finish() throws SQLException {
        ship();
        return copy.endCopy();
    }

    private void put(byte b) {
        ensure(1);
        buffer[length++] = b;
    }

    private void ensure(int more) {
        if (length + more > buffer.length) {
            byte[] bigger = new byte[Math.max(buffer.length * 2, length + more)];
            System.arraycopy(buffer, 0, bigger, 0, length);
            buffer = bigger;
        }
    }

    private void ship() throws SQLException {
        if (length > 0) {
            copy.writeToCopy(buffer, 0, length);
            length = 0;
        }
    }
}
