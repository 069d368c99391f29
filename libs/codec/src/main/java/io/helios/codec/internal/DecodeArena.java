package io.helios.codec.internal;

import java.util.Arrays;

/**
 * The one byte array every decoded row image of a batch points into: the decompressed body
 * first (plain and dictionary values are used where they lie), then the text formatted anew
 * for typed encodings. Grows up to a bound, past which decoding stops with {@code TOO_LARGE}.
 * Not thread-safe.
 */
public final class DecodeArena {

    private byte[] buf;
    private int pos;
    private final long limit;

    public DecodeArena(byte[] body, int bodyLength, long expectedExtra, long limit) {
        if (bodyLength + expectedExtra > limit) {
            throw Corrupt.tooLarge("decoded text of " + (bodyLength + expectedExtra) + " bytes exceeds the bound of " + limit);
        }
        this.buf = Arrays.copyOf(body, (int) (bodyLength + expectedExtra + 64));
        this.pos = bodyLength;
        this.limit = limit;
    }

    /** Room for {@code n} bytes at the returned position; write them, then {@link #advance}. */
    public int reserve(int n) {
        if (buf.length - pos < n) {
            long want = Math.max((long) buf.length * 3 / 2, (long) pos + n);
            if ((long) pos + n > limit) {
                throw Corrupt.tooLarge("decoded text exceeds the bound of " + limit + " bytes");
            }
            buf = Arrays.copyOf(buf, (int) Math.min(want, limit));
        }
        return pos;
    }

    public void advance(int newPos) {
        pos = newPos;
    }

    public byte[] array() {
        return buf;
    }
}
