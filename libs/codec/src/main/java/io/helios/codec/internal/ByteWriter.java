package io.helios.codec.internal;

import java.util.Arrays;

/**
 * A growable byte buffer with the codec's primitive forms: unsigned LEB128 varints, zig-zag
 * varints, raw bytes. Not thread-safe; one per encode.
 */
public final class ByteWriter {

    private byte[] buf;
    private int pos;

    public ByteWriter(int initialCapacity) {
        buf = new byte[Math.max(64, initialCapacity)];
    }

    public void reset() {
        pos = 0;
    }

    public int size() {
        return pos;
    }

    /** The backing array; valid up to {@link #size()}. */
    public byte[] array() {
        return buf;
    }

    public void ensure(int more) {
        if (buf.length - pos < more) {
            long want = Math.max((long) buf.length * 2, (long) pos + more);
            if (want > Integer.MAX_VALUE - 16) {
                throw new IllegalStateException("encoded batch exceeds 2 GiB");
            }
            buf = Arrays.copyOf(buf, (int) want);
        }
    }

    public void writeByte(int b) {
        ensure(1);
        buf[pos++] = (byte) b;
    }

    public void writeVarLong(long v) {
        ensure(10);
        byte[] b = buf;
        int p = pos;
        while ((v & ~0x7FL) != 0) {
            b[p++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        b[p++] = (byte) v;
        pos = p;
    }

    /** A non-negative int as an unsigned varint. */
    public void writeVarInt(int v) {
        ensure(5);
        byte[] b = buf;
        int p = pos;
        while ((v & ~0x7F) != 0) {
            b[p++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        b[p++] = (byte) v;
        pos = p;
    }

    public void writeZigZag(long v) {
        writeVarLong((v << 1) ^ (v >> 63));
    }

    public void writeLong(long v) {
        ensure(8);
        for (int i = 7; i >= 0; i--) {
            buf[pos++] = (byte) (v >>> (i * 8));
        }
    }

    public void writeBytes(byte[] src, int off, int len) {
        ensure(len);
        System.arraycopy(src, off, buf, pos, len);
        pos += len;
    }

    /** A string as varint length and UTF-8 bytes. */
    public void writeString(String s) {
        byte[] b = s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        writeVarInt(b.length);
        writeBytes(b, 0, b.length);
    }

    /** Bits as a bitmap of {@code (n + 7) / 8} bytes, lowest bit first. */
    public void writeBitmap(boolean[] bits, int n) {
        int bytes = (n + 7) >>> 3;
        ensure(bytes);
        for (int i = 0; i < bytes; i++) {
            int v = 0;
            int end = Math.min(8, n - i * 8);
            for (int j = 0; j < end; j++) {
                if (bits[i * 8 + j]) {
                    v |= 1 << j;
                }
            }
            buf[pos++] = (byte) v;
        }
    }

    /** Room for {@code len} bytes written directly into {@link #array()} at the returned offset. */
    public int reserve(int len) {
        ensure(len);
        int at = pos;
        pos += len;
        return at;
    }

    public static int varLongSize(long v) {
        int n = 1;
        while ((v & ~0x7FL) != 0) {
            v >>>= 7;
            n++;
        }
        return n;
    }

    public static long zigZag(long v) {
        return (v << 1) ^ (v >> 63);
    }
}
