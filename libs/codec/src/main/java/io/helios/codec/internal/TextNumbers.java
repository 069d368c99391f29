package io.helios.codec.internal;

/**
 * Integers and decimals in their canonical PostgreSQL text form, read from and written to
 * UTF-8 bytes without allocating. "Canonical" is exactly what formatting the parsed value
 * gives back: no sign on zero, no leading zeros, no '+', no exponent; a decimal keeps its
 * scale (trailing zeros are part of a numeric's text). A parse that returns false means the
 * text is not canonical and the column must not use a typed encoding.
 */
public final class TextNumbers {

    /** Decimals with at most this many digits fit an unscaled long. */
    public static final int MAX_DECIMAL_DIGITS = 18;

    private static final long[] POW10 = new long[19];

    static {
        POW10[0] = 1;
        for (int i = 1; i < POW10.length; i++) {
            POW10[i] = POW10[i - 1] * 10;
        }
    }

    private TextNumbers() {
    }

    /** Parses a canonical integer into {@code out[i]}; false when the text is not one. */
    public static boolean parseLong(byte[] b, int off, int len, long[] out, int i) {
        if (len == 0 || len > 20) {
            return false;
        }
        int p = off;
        int end = off + len;
        boolean neg = b[p] == '-';
        if (neg && ++p == end) {
            return false;
        }
        if (b[p] == '0') {
            if (end - p != 1 || neg) {
                return false;
            }
            out[i] = 0;
            return true;
        }
        long v = 0;
        for (; p < end; p++) {
            int d = b[p] - '0';
            if (d < 0 || d > 9) {
                return false;
            }
            // accumulate negatively so Long.MIN_VALUE parses
            if (v < (Long.MIN_VALUE + d) / 10) {
                return false;
            }
            v = v * 10 - d;
        }
        if (!neg) {
            if (v == Long.MIN_VALUE) {
                return false;
            }
            v = -v;
        }
        out[i] = v;
        return true;
    }

    /** Writes {@code v} at {@code pos}; returns the position after it. Needs 20 bytes of room. */
    public static int formatLong(long v, byte[] dst, int pos) {
        if (v == Long.MIN_VALUE) {
            byte[] s = "-9223372036854775808".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            System.arraycopy(s, 0, dst, pos, s.length);
            return pos + s.length;
        }
        if (v < 0) {
            dst[pos++] = '-';
            v = -v;
        }
        int end = pos + digits(v);
        writeDigits(v, dst, end, pos);
        return end;
    }

    /** Writes the digits of non-negative {@code v} right-aligned to end before {@code end}, zero-padded down to {@code from}. */
    static void writeDigits(long v, byte[] dst, int end, int from) {
        int p = end;
        while (v >= 100) {
            int r = (int) (v % 100);
            v /= 100;
            dst[--p] = PAIRS[2 * r + 1];
            dst[--p] = PAIRS[2 * r];
        }
        int r = (int) v;
        if (r >= 10) {
            dst[--p] = PAIRS[2 * r + 1];
            dst[--p] = PAIRS[2 * r];
        } else {
            dst[--p] = (byte) ('0' + r);
        }
        while (p > from) {
            dst[--p] = '0';
        }
    }

    private static final byte[] PAIRS = new byte[200];

    static {
        for (int i = 0; i < 100; i++) {
            PAIRS[2 * i] = (byte) ('0' + i / 10);
            PAIRS[2 * i + 1] = (byte) ('0' + i % 10);
        }
    }

    /** Number of decimal digits of non-negative {@code v}. */
    static int digits(long v) {
        int n = ((64 - Long.numberOfLeadingZeros(v | 1)) * 1233) >>> 12;
        return n < 19 && v >= POW10[n] ? n + 1 : Math.max(n, 1);
    }

    /**
     * Parses a canonical decimal ({@code -?(0|[1-9][0-9]*)(\.[0-9]+)?}, at most 18 digits, not a
     * negative zero) into its unscaled value and scale.
     */
    public static boolean parseDecimal(byte[] b, int off, int len, long[] unscaled, int[] scale, int i) {
        if (len == 0 || len > MAX_DECIMAL_DIGITS + 3) {
            return false;
        }
        int p = off;
        int end = off + len;
        boolean neg = b[p] == '-';
        if (neg && ++p == end) {
            return false;
        }
        int intStart = p;
        while (p < end && b[p] >= '0' && b[p] <= '9') {
            p++;
        }
        int intDigits = p - intStart;
        if (intDigits == 0 || (intDigits > 1 && b[intStart] == '0')) {
            return false;
        }
        int fracDigits = 0;
        if (p < end) {
            if (b[p] != '.') {
                return false;
            }
            int fracStart = ++p;
            while (p < end && b[p] >= '0' && b[p] <= '9') {
                p++;
            }
            fracDigits = p - fracStart;
            if (fracDigits == 0 || p != end) {
                return false;
            }
        }
        boolean zeroInt = intDigits == 1 && b[intStart] == '0';
        if ((zeroInt ? 0 : intDigits) + fracDigits > MAX_DECIMAL_DIGITS) {
            return false;
        }
        long v = 0;
        for (int q = intStart; q < end; q++) {
            if (b[q] != '.') {
                v = v * 10 + (b[q] - '0');
            }
        }
        if (neg && v == 0) {
            return false;
        }
        unscaled[i] = neg ? -v : v;
        scale[i] = fracDigits;
        return true;
    }

    /** Writes a decimal; needs 21 bytes of room. */
    public static int formatDecimal(long unscaled, int scale, byte[] dst, int pos) {
        if (scale == 0) {
            return formatLong(unscaled, dst, pos);
        }
        if (unscaled < 0) {
            dst[pos++] = '-';
            unscaled = -unscaled;
        }
        long p10 = POW10[scale];
        long whole = unscaled / p10;
        int intEnd = pos + digits(whole);
        writeDigits(whole, dst, intEnd, pos);
        dst[intEnd] = '.';
        int end = intEnd + 1 + scale;
        writeDigits(unscaled - whole * p10, dst, end, intEnd + 1);
        return end;
    }

    /** Whether a decoded decimal is one {@link #formatDecimal} can write. */
    public static boolean validDecimal(long unscaled, int scale) {
        return scale >= 0 && scale <= MAX_DECIMAL_DIGITS && unscaled > -POW10[18] && unscaled < POW10[18];
    }
}
