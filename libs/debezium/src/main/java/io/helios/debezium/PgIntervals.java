package io.helios.debezium;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Renders intervals as PostgreSQL prints them with {@code IntervalStyle=postgres}
 * ({@code 1 year 2 mons -3 days +04:05:06.5}), from the ISO 8601 string that Debezium builds
 * with {@code interval.handling.mode=string} ({@code P1Y2M-3DT4H5M6.5S}, every field signed
 * on its own). Stateless.
 */
final class PgIntervals {

    private static final Pattern ISO = Pattern.compile(
            "P(-?\\d+)Y(-?\\d+)M(-?\\d+)DT(-?\\d+)H(-?\\d+)M(-?[\\d.]+)S");
    private static final BigDecimal MICROS = BigDecimal.valueOf(1_000_000);

    private PgIntervals() {
    }

    static String fromIso(String iso) {
        Matcher m = ISO.matcher(iso);
        if (!m.matches()) {
            return iso; // PostgreSQL reads ISO 8601 intervals as well
        }
        long micros = new BigDecimal(m.group(6)).multiply(MICROS).setScale(0, RoundingMode.HALF_EVEN).longValueExact();
        micros += (Long.parseLong(m.group(4)) * 3600 + Long.parseLong(m.group(5)) * 60) * 1_000_000L;
        return render(Long.parseLong(m.group(1)), Long.parseLong(m.group(2)), Long.parseLong(m.group(3)), micros);
    }

    static String fromMicros(long micros) {
        return render(0, 0, 0, micros);
    }

    /** PostgreSQL's EncodeInterval, postgres style. */
    static String render(long years, long months, long days, long timeMicros) {
        StringBuilder sb = new StringBuilder();
        boolean[] before = {false};
        part(sb, years, "year", before);
        part(sb, months, "mon", before);
        part(sb, days, "day", before);
        if (sb.isEmpty() || timeMicros != 0) {
            if (!sb.isEmpty()) {
                sb.append(' ');
            }
            sb.append(timeMicros < 0 ? "-" : before[0] ? "+" : "");
            long abs = Math.abs(timeMicros);
            long seconds = abs / 1_000_000;
            PgTemporals.pad(sb, seconds / 3600, 2).append(':');
            PgTemporals.pad(sb, seconds / 60 % 60, 2).append(':');
            PgTemporals.pad(sb, seconds % 60, 2);
            PgTemporals.fraction(sb, abs % 1_000_000);
        }
        return sb.toString();
    }

    private static void part(StringBuilder sb, long value, String unit, boolean[] before) {
        if (value == 0) {
            return;
        }
        if (!sb.isEmpty()) {
            sb.append(' ');
        }
        if (before[0] && value > 0) {
            sb.append('+');
        }
        sb.append(value).append(' ').append(unit);
        if (value != 1) {
            sb.append('s');
        }
        before[0] = value < 0;
    }
}
