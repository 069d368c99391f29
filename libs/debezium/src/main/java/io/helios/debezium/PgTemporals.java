package io.helios.debezium;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.ZoneOffset;

/**
 * PostgreSQL's ISO text output ({@code DateStyle=ISO}, {@code IntervalStyle=postgres},
 * {@code TimeZone=UTC}) for Debezium's temporal logical types, as produced with
 * {@code time.precision.mode=adaptive_time_microseconds} and
 * {@code interval.handling.mode=string}. Stateless.
 */
final class PgTemporals {

    /** pgjdbc's infinity sentinels, which Debezium passes through as microseconds since the epoch. */
    private static final long INFINITY_MICROS = 9223372036825200000L;
    private static final long MINUS_INFINITY_MICROS = -9223372036832400000L;
    private static final long MICROS_PER_SECOND = 1_000_000L;
    private static final long MICROS_PER_DAY = 86_400L * MICROS_PER_SECOND;

    private PgTemporals() {
    }

    /** @param type the logical type name after {@code io.debezium.time.}; null when not temporal */
    static String text(String type, Object value) {
        return switch (type) {
            case "Date" -> date(LocalDate.ofEpochDay(((Number) value).longValue()));
            case "Timestamp" -> timestamp(((Number) value).longValue() * 1000, "");
            case "MicroTimestamp" -> timestamp(((Number) value).longValue(), "");
            case "NanoTimestamp" -> timestamp(Math.floorDiv(((Number) value).longValue(), 1000L), "");
            case "ZonedTimestamp" -> zonedTimestamp((String) value);
            case "Time" -> time(((Number) value).longValue() * 1000);
            case "MicroTime" -> time(((Number) value).longValue());
            case "NanoTime" -> time(((Number) value).longValue() / 1000);
            case "ZonedTime" -> time(OffsetTime.parse((String) value).withOffsetSameInstant(ZoneOffset.UTC)) + "+00";
            case "Interval" -> PgIntervals.fromIso((String) value);
            case "MicroDuration" -> PgIntervals.fromMicros(((Number) value).longValue());
            default -> value.toString();
        };
    }

    static String date(LocalDate d) {
        int year = d.getYear();
        boolean bc = year <= 0;
        StringBuilder sb = new StringBuilder(14);
        pad(sb, bc ? 1 - year : year, 4).append('-');
        pad(sb, d.getMonthValue(), 2).append('-');
        pad(sb, d.getDayOfMonth(), 2);
        return bc ? sb.append(" BC").toString() : sb.toString();
    }

    private static String timestamp(long micros, String zone) {
        if (micros == INFINITY_MICROS) {
            return "infinity";
        }
        if (micros == MINUS_INFINITY_MICROS) {
            return "-infinity";
        }
        Instant instant = Instant.ofEpochSecond(Math.floorDiv(micros, MICROS_PER_SECOND),
                Math.floorMod(micros, MICROS_PER_SECOND) * 1000);
        return dateTime(LocalDateTime.ofInstant(instant, ZoneOffset.UTC), zone);
    }

    private static String zonedTimestamp(String iso) {
        if (iso.equals("infinity") || iso.equals("-infinity")) {
            return iso;
        }
        OffsetDateTime t = OffsetDateTime.parse(iso).withOffsetSameInstant(ZoneOffset.UTC);
        return dateTime(t.toLocalDateTime(), "+00");
    }

    private static String dateTime(LocalDateTime t, String zone) {
        String date = date(t.toLocalDate());
        boolean bc = date.endsWith(" BC");
        String day = bc ? date.substring(0, date.length() - 3) : date;
        String time = time(t.toLocalTime().toNanoOfDay() / 1000);
        return day + ' ' + time + zone + (bc ? " BC" : "");
    }

    private static String time(OffsetTime t) {
        return time(t.toLocalTime().toNanoOfDay() / 1000);
    }

    /** {@code HH:MM:SS[.ffffff]}; 24:00:00 is a valid PostgreSQL time. */
    static String time(long micros) {
        if (micros > MICROS_PER_DAY || micros < 0) {
            throw new IllegalArgumentException("time of day out of range: " + micros + " us");
        }
        long seconds = micros / MICROS_PER_SECOND;
        StringBuilder sb = new StringBuilder(15);
        pad(sb, seconds / 3600, 2).append(':');
        pad(sb, seconds / 60 % 60, 2).append(':');
        pad(sb, seconds % 60, 2);
        return fraction(sb, micros % MICROS_PER_SECOND).toString();
    }

    /** Appends {@code .ffffff} without trailing zeros, nothing for a whole second. */
    static StringBuilder fraction(StringBuilder sb, long micros) {
        if (micros == 0) {
            return sb;
        }
        String digits = Long.toString(1_000_000 + micros).substring(1);
        int end = digits.length();
        while (digits.charAt(end - 1) == '0') {
            end--;
        }
        return sb.append('.').append(digits, 0, end);
    }

    static StringBuilder pad(StringBuilder sb, long value, int width) {
        String s = Long.toString(value);
        for (int i = s.length(); i < width; i++) {
            sb.append('0');
        }
        return sb.append(s);
    }
}
