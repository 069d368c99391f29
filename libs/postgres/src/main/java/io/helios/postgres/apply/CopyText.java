package io.helios.postgres.apply;

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

    void value(String value, boolean first) throws SQLException {
        if (!first) {
            put((byte) '\t');
        }
        if (value == null) {
            put((byte) '\\');
            put((byte) 'N');
            return;
        }
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        ensure(bytes.length * 2);
        for (byte b : bytes) {
            switch (b) {
                case '\\' -> { buffer[length++] = '\\'; buffer[length++] = '\\'; }
                case '\n' -> { buffer[length++] = '\\'; buffer[length++] = 'n'; }
                case '\r' -> { buffer[length++] = '\\'; buffer[length++] = 'r'; }
                case '\t' -> { buffer[length++] = '\\'; buffer[length++] = 't'; }
                default -> buffer[length++] = b;
            }
        }
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
