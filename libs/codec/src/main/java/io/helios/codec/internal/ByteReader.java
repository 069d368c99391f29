package io.helios.codec.internal;

import java.nio.charset.StandardCharsets;

/**
 * Bounds-checked reading of the forms {@link ByteWriter} writes; every read past the end or
 * malformed varint throws {@link Corrupt}. Not thread-safe.
 */
public final class ByteReader {

    private final byte[] buf;
    private int pos;
    private final int limit;

    public ByteReader(byte[] buf, int pos, int limit) {
        this.buf = buf;
        this.pos = pos;
        this.limit = limit;
    }

    public byte[] array() {
        return buf;
    }

    public int position() {
        return pos;
    }

    public int remaining() {
        return limit - pos;
    }

    public boolean atEnd() {
        return pos == limit;
    }

    public int readByte() {
        if (pos >= limit) {
            throw Corrupt.of("body ends inside a value at offset " + pos);
        }
        return buf[pos++] & 0xFF;
    }

    public long readVarLong() {
        long v = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (pos >= limit) {
                throw Corrupt.of("body ends inside a varint at offset " + pos);
            }
            byte b = buf[pos++];
            v |= (long) (b & 0x7F) << shift;
            if (b >= 0) {
                return v;
            }
        }
        throw Corrupt.of("varint longer than 10 bytes at offset " + pos);
    }

    public int readVarInt() {
        int v = 0;
        for (int shift = 0; shift < 35; shift += 7) {
            if (pos >= limit) {
                throw Corrupt.of("body ends inside a varint at offset " + pos);
            }
            byte b = buf[pos++];
            v |= (b & 0x7F) << shift;
            if (b >= 0) {
                if (v < 0 || (shift == 28 && (b & 0x70) != 0)) {
                    throw Corrupt.of("count out of range at offset " + pos);
                }
                return v;
            }
        }
        throw Corrupt.of("varint longer than 5 bytes at offset " + pos);
    }

    /** A count that must not exceed {@code max}. */
    public int readCount(int max, String what) {
        int n = readVarInt();
        if (n > max) {
            throw Corrupt.of(what + " " + n + " exceeds " + max + " at offset " + pos);
        }
        return n;
    }

    public long readZigZag() {
        long v = readVarLong();
        return (v >>> 1) ^ -(v & 1);
    }

    public long readLong() {
        need(8);
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (buf[pos++] & 0xFF);
        }
        return v;
    }

    /** Skips {@code len} bytes and returns where they start. */
    public int skip(int len) {
        need(len);
        int at = pos;
        pos += len;
        return at;
    }

    public String readString() {
        int n = readVarInt();
        int at = skip(n);
        return new String(buf, at, n, StandardCharsets.UTF_8);
    }

    public boolean[] readBitmap(int n) {
        int at = skip((n + 7) >>> 3);
        boolean[] bits = new boolean[n];
        for (int i = 0; i < n; i++) {
            bits[i] = (buf[at + (i >>> 3)] & (1 << (i & 7))) != 0;
        }
        return bits;
    }

    private void need(int len) {
        if (len < 0 || len > limit - pos) {
            throw Corrupt.of("body ends " + (len - (limit - pos)) + " bytes early at offset " + pos);
        }
    }
}
