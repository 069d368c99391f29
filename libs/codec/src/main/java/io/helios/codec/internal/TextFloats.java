package io.helios.codec.internal;

import java.nio.charset.StandardCharsets;

/**
 * float4 and float8 in PostgreSQL's output form (12+: the shortest text that reads back as
 * the same value; fixed notation for decimal exponents -4 up to 5 (float4) or 14 (float8),
 * otherwise {@code 1.5e+20}; {@code NaN}, {@code Infinity}, {@code -Infinity}, {@code -0}).
 *
 * <p>The shortest digits come from {@link Double#toString}/{@link Float#toString}, which on
 * Java 17 are not always the shortest; when they are not, re-formatting gives other text than
 * PostgreSQL sent, the encoder's check fails and the column falls back to a byte-exact encoding.
 */
public final class TextFloats {

    private static final byte[] NAN = "NaN".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] INF = "Infinity".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] NEG_INF = "-Infinity".getBytes(StandardCharsets.US_ASCII);

    /** Longest text {@link #format} writes. */
    public static final int MAX_LENGTH = 32;

    private TextFloats() {
    }

    /**
     * Parses text that {@link #format} gives back byte for byte into the IEEE bits of the value
     * (float4 widened to double) at {@code bits[i]}; false when the text is not such text.
     * {@code scratch} needs {@link #MAX_LENGTH} bytes.
     */
    public static boolean parse(byte[] b, int off, int len, boolean float4, long[] bits, int i, byte[] scratch) {
        if (len == 0 || len > MAX_LENGTH) {
            return false;
        }
        for (int p = off; p < off + len; p++) {
            byte c = b[p];
            // digits, sign, point, exponent and the letters of NaN/Infinity only
            if (c < '+' || c > 'y') {
                return false;
            }
        }
        double d;
        try {
            d = Double.parseDouble(new String(b, off, len, StandardCharsets.US_ASCII));
        } catch (NumberFormatException e) {
            return false;
        }
        if (float4) {
            float f = (float) d;
            d = f;
        }
        int n = format(Double.doubleToRawLongBits(d), float4, scratch, 0);
        if (n != len || !java.util.Arrays.equals(scratch, 0, n, b, off, off + len)) {
            return false;
        }
        bits[i] = Double.doubleToRawLongBits(d);
        return true;
    }

    /** Writes the value with these IEEE bits at {@code pos}; returns the end position. */
    public static int format(long bits, boolean float4, byte[] dst, int pos) {
        double d = Double.longBitsToDouble(bits);
        if (Double.isNaN(d)) {
            return put(NAN, dst, pos);
        }
        if (Double.isInfinite(d)) {
            return put(d > 0 ? INF : NEG_INF, dst, pos);
        }
        if (d == 0) {
            if (bits < 0) {
                dst[pos++] = '-';
            }
            dst[pos++] = '0';
            return pos;
        }
        String s = float4 ? Float.toString((float) d) : Double.toString(d);
        return layout(s, float4 ? 6 : 15, dst, pos);
    }

    /** Re-lays Java's digits ("-1.25E-7", "123.5") in PostgreSQL's form. */
    private static int layout(String s, int fixedBelow, byte[] dst, int pos) {
        int n = s.length();
        int p = 0;
        if (s.charAt(0) == '-') {
            dst[pos++] = '-';
            p = 1;
        }
        int e = s.indexOf('E');
        int mantEnd = e < 0 ? n : e;
        int exp10 = e < 0 ? 0 : Integer.parseInt(s, e + 1, n, 10);
        // collect significant digits and the position of the point
        byte[] digits = new byte[24];
        int nd = 0;
        int pointAt = -1;
        for (int q = p; q < mantEnd; q++) {
            char c = s.charAt(q);
            if (c == '.') {
                pointAt = nd;
            } else {
                digits[nd++] = (byte) c;
            }
        }
        if (pointAt < 0) {
            pointAt = nd;
        }
        int lead = 0;
        while (lead < nd - 1 && digits[lead] == '0') {
            lead++;
        }
        int end = nd;
        while (end > lead + 1 && digits[end - 1] == '0') {
            end--;
        }
        // value = 0.d[lead..end) * 10^(pointAt - lead + exp10); exponent of the first digit:
        int exp = pointAt - lead - 1 + exp10;
        int count = end - lead;
        if (exp >= -4 && exp < fixedBelow) {
            if (exp < 0) {
                dst[pos++] = '0';
                dst[pos++] = '.';
                for (int z = 0; z < -exp - 1; z++) {
                    dst[pos++] = '0';
                }
                System.arraycopy(digits, lead, dst, pos, count);
                return pos + count;
            }
            int intDigits = exp + 1;
            if (count <= intDigits) {
                System.arraycopy(digits, lead, dst, pos, count);
                pos += count;
                for (int z = count; z < intDigits; z++) {
                    dst[pos++] = '0';
                }
                return pos;
            }
            System.arraycopy(digits, lead, dst, pos, intDigits);
            pos += intDigits;
            dst[pos++] = '.';
            System.arraycopy(digits, lead + intDigits, dst, pos, count - intDigits);
            return pos + count - intDigits;
        }
        dst[pos++] = digits[lead];
        if (count > 1) {
            dst[pos++] = '.';
            System.arraycopy(digits, lead + 1, dst, pos, count - 1);
            pos += count - 1;
        }
        dst[pos++] = 'e';
        dst[pos++] = (byte) (exp < 0 ? '-' : '+');
        int a = Math.abs(exp);
        if (a >= 100) {
            dst[pos++] = (byte) ('0' + a / 100);
        }
        dst[pos++] = (byte) ('0' + a / 10 % 10);
        dst[pos++] = (byte) ('0' + a % 10);
        return pos;
    }

    private static int put(byte[] s, byte[] dst, int pos) {
        System.arraycopy(s, 0, dst, pos, s.length);
        return pos + s.length;
    }
}
