package io.helios.codec.internal;

/**
 * uuid and bytea in PostgreSQL's output forms (lowercase hex; bytea as {@code \x...}, the
 * default {@code bytea_output = hex}). Parsing accepts exactly what formatting writes.
 */
public final class TextBinary {

    public static final int UUID_LENGTH = 36;
    private static final byte[] HEX = "0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private TextBinary() {
    }

    public static boolean parseUuid(byte[] b, int off, int len, long[] hi, long[] lo, int i) {
        if (len != UUID_LENGTH) {
            return false;
        }
        long h = 0;
        long l = 0;
        int nibbles = 0;
        for (int p = 0; p < UUID_LENGTH; p++) {
            byte c = b[off + p];
            if (p == 8 || p == 13 || p == 18 || p == 23) {
                if (c != '-') {
                    return false;
                }
                continue;
            }
            int v = hex(c);
            if (v < 0) {
                return false;
            }
            if (nibbles++ < 16) {
                h = (h << 4) | v;
            } else {
                l = (l << 4) | v;
            }
        }
        hi[i] = h;
        lo[i] = l;
        return true;
    }

    public static int formatUuid(long hi, long lo, byte[] dst, int pos) {
        int n = 0;
        for (int p = 0; p < UUID_LENGTH; p++) {
            if (p == 8 || p == 13 || p == 18 || p == 23) {
                dst[pos + p] = '-';
                continue;
            }
            long word = n < 16 ? hi : lo;
            int shift = (15 - (n & 15)) * 4;
            dst[pos + p] = HEX[(int) (word >>> shift) & 15];
            n++;
        }
        return pos + UUID_LENGTH;
    }

    /** Whether the text is {@code \x} followed by pairs of lowercase hex digits. */
    public static boolean isByteaHex(byte[] b, int off, int len) {
        if (len < 2 || (len & 1) != 0 || b[off] != '\\' || b[off + 1] != 'x') {
            return false;
        }
        for (int p = off + 2; p < off + len; p++) {
            if (hex(b[p]) < 0) {
                return false;
            }
        }
        return true;
    }

    /** Writes the raw bytes of canonical bytea hex text (checked by {@link #isByteaHex}). */
    public static void decodeHex(byte[] b, int off, int len, byte[] dst, int pos) {
        for (int p = off + 2; p < off + len; p += 2) {
            dst[pos++] = (byte) ((hex(b[p]) << 4) | hex(b[p + 1]));
        }
    }

    /** Writes {@code \x} and the hex of {@code n} raw bytes; needs {@code 2 + 2n} bytes of room. */
    public static int encodeHex(byte[] src, int off, int n, byte[] dst, int pos) {
        dst[pos++] = '\\';
        dst[pos++] = 'x';
        for (int p = off; p < off + n; p++) {
            dst[pos++] = HEX[(src[p] >>> 4) & 15];
            dst[pos++] = HEX[src[p] & 15];
        }
        return pos;
    }

    private static int hex(byte c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        return -1;
    }
}
