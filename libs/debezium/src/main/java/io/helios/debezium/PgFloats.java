package io.helios.debezium;

import java.math.BigDecimal;

/**
 * {@code float4}/{@code float8} text as PostgreSQL 12+ prints it: the shortest digits that read
 * back to the same value, fixed notation for decimal exponents from -4 up to the type's digit
 * count (6 or 15), else {@code 1.5e+20}. Java's shortest repr is used for the digits, so the
 * value always reads back exactly. Stateless.
 */
final class PgFloats {

    private PgFloats() {
    }

    static String float4(float f) {
        if (Float.isNaN(f) || Float.isInfinite(f)) {
            return special(f);
        }
        return format(Float.toString(f), f == 0 && 1 / f < 0, 6);
    }

    static String float8(double d) {
        if (Double.isNaN(d) || Double.isInfinite(d)) {
            return special(d);
        }
        return format(Double.toString(d), d == 0 && 1 / d < 0, 15);
    }

    private static String special(double d) {
        return Double.isNaN(d) ? "NaN" : d > 0 ? "Infinity" : "-Infinity";
    }

    private static String format(String javaRepr, boolean negativeZero, int maxFixedExponent) {
        BigDecimal bd = new BigDecimal(javaRepr);
        if (bd.signum() == 0) {
            return negativeZero ? "-0" : "0";
        }
        bd = bd.stripTrailingZeros();
        String digits = bd.unscaledValue().abs().toString();
        int exponent = digits.length() - 1 - bd.scale();
        if (exponent >= -4 && exponent < maxFixedExponent) {
            return bd.toPlainString();
        }
        StringBuilder sb = new StringBuilder(bd.signum() < 0 ? "-" : "").append(digits.charAt(0));
        if (digits.length() > 1) {
            sb.append('.').append(digits, 1, digits.length());
        }
        sb.append('e').append(exponent < 0 ? '-' : '+');
        return PgTemporals.pad(sb, Math.abs(exponent), 2).toString();
    }
}
