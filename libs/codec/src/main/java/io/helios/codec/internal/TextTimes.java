package io.helios.codec.internal;

import java.nio.charset.StandardCharsets;

/**
 * timestamp, timestamptz and date in PostgreSQL's ISO output form ({@code DateStyle ISO}):
 * {@code 2024-03-01 12:00:00.25}, {@code 2024-03-01 12:00:00+05:30}, {@code 0044-03-15 BC},
 * years of 5 and 6 digits, {@code infinity} and {@code -infinity}. Values are microseconds
 * (dates: days) since 2000-01-01 of the local wall clock, proleptic Gregorian like the server;
 * a timestamptz's UTC offset is kept apart in seconds. Parsing accepts exactly the text that
 * formatting writes, nothing else.
 */
public final class TextTimes {

    public static final int TIMESTAMP = 0;
    public static final int TIMESTAMPTZ = 1;
    public static final int DATE = 2;

    /** Longest text {@link #format} writes. */
    public static final int MAX_LENGTH = 48;
    /** Offsets beyond this are not PostgreSQL's. */
    public static final int MAX_OFFSET_SECONDS = 24 * 3600 - 1;

    private static final long MICROS_PER_DAY = 86_400_000_000L;
    private static final long DAYS_1970_TO_2000 = 10_957;
    private static final int MAX_YEAR_AD = 294_276;
    private static final int MAX_YEAR_BC = 4_714;
    private static final byte[] INFINITY = "infinity".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] BC = " BC".getBytes(StandardCharsets.US_ASCII);
    /** 0001-01-01 as a day since 2000-01-01: days before it are BC. */
    public static final long FIRST_DAY_AD = daysFromCivil(1, 1, 1) - DAYS_1970_TO_2000;

    private TextTimes() {
    }

    /** Parses into {@code values[i]} (and {@code offsets[i]} for timestamptz); false if not canonical. */
    public static boolean parse(byte[] b, int off, int len, int kind, long[] values, int[] offsets, int i) {
        if (len == INFINITY.length || len == INFINITY.length + 1) {
            boolean neg = len > INFINITY.length;
            if ((!neg || b[off] == '-') && java.util.Arrays.equals(b, off + (neg ? 1 : 0), off + len, INFINITY, 0, INFINITY.length)) {
                values[i] = neg ? Long.MIN_VALUE : Long.MAX_VALUE;
                offsets[i] = 0;
                return true;
            }
        }
        int end = off + len;
        int p = off;
        int ys = p;
        while (p < end && isDigit(b[p])) {
            p++;
        }
        int yd = p - ys;
        if (yd < 4 || yd > 6 || (yd > 4 && b[ys] == '0')) {
            return false;
        }
        int year = num(b, ys, yd);
        if (year == 0 || end - p < 6 || b[p] != '-' || b[p + 3] != '-' || !digits(b, p + 1, 2) || !digits(b, p + 4, 2)) {
            return false;
        }
        int month = num(b, p + 1, 2);
        int day = num(b, p + 4, 2);
        p += 6;
        long micros = 0;
        int offset = 0;
        if (kind != DATE) {
            if (end - p < 9 || b[p] != ' ' || b[p + 3] != ':' || b[p + 6] != ':'
                    || !digits(b, p + 1, 2) || !digits(b, p + 4, 2) || !digits(b, p + 7, 2)) {
                return false;
            }
            int hh = num(b, p + 1, 2);
            int mi = num(b, p + 4, 2);
            int ss = num(b, p + 7, 2);
            if (hh > 23 || mi > 59 || ss > 59) {
                return false;
            }
            p += 9;
            long frac = 0;
            if (p < end && b[p] == '.') {
                int fs = ++p;
                while (p < end && isDigit(b[p])) {
                    p++;
                }
                int fd = p - fs;
                if (fd == 0 || fd > 6 || b[p - 1] == '0') {
                    return false;
                }
                frac = num(b, fs, fd);
                for (int k = fd; k < 6; k++) {
                    frac *= 10;
                }
            }
            micros = ((hh * 60L + mi) * 60 + ss) * 1_000_000 + frac;
            if (kind == TIMESTAMPTZ) {
                long q = parseOffset(b, p, end);
                if (q < 0) {
                    return false;
                }
                offset = (int) (q >> 32) - MAX_OFFSET_SECONDS;
                p = (int) q;
            }
        }
        boolean bc = false;
        if (end - p == BC.length && java.util.Arrays.equals(b, p, end, BC, 0, BC.length)) {
            bc = true;
            p = end;
        }
        if (p != end || month < 1 || month > 12 || (bc ? year > MAX_YEAR_BC : year > MAX_YEAR_AD)) {
            return false;
        }
        int astro = bc ? 1 - year : year;
        if (day < 1 || day > daysInMonth(astro, month)) {
            return false;
        }
        long days = daysFromCivil(astro, month, day) - DAYS_1970_TO_2000;
        values[i] = kind == DATE ? days : days * MICROS_PER_DAY + micros;
        offsets[i] = offset;
        return true;
    }

    /**
     * Reads {@code +HH[:MM[:SS]]} in canonical form; returns -1, or the end position in the low
     * 32 bits and the offset plus {@link #MAX_OFFSET_SECONDS} in the high bits.
     */
    private static long parseOffset(byte[] b, int p, int end) {
        if (end - p < 3 || (b[p] != '+' && b[p] != '-') || !digits(b, p + 1, 2)) {
            return -1;
        }
        boolean neg = b[p] == '-';
        int h = num(b, p + 1, 2);
        int m = 0;
        int s = 0;
        p += 3;
        if (end - p >= 3 && b[p] == ':' && digits(b, p + 1, 2)) {
            m = num(b, p + 1, 2);
            p += 3;
            if (end - p >= 3 && b[p] == ':' && digits(b, p + 1, 2)) {
                s = num(b, p + 1, 2);
                p += 3;
                if (s == 0 || s > 59) {
                    return -1;
                }
            } else if (m == 0) {
                return -1;
            }
            if (m > 59) {
                return -1;
            }
        }
        int total = (h * 60 + m) * 60 + s;
        if ((neg && total == 0) || total > MAX_OFFSET_SECONDS) {
            return -1;
        }
        return ((long) ((neg ? -total : total) + MAX_OFFSET_SECONDS) << 32) | p;
    }

    /** Writes a value at {@code pos}; returns the end. Needs {@link #MAX_LENGTH} bytes of room. */
    public static int format(long value, int offsetSeconds, int kind, byte[] dst, int pos) {
        if (isInfinite(value)) {
            return formatInfinity(value, dst, pos);
        }
        long days = days(value, kind);
        pos = formatDate(days, dst, pos);
        return formatRest(value, offsetSeconds, kind, days < FIRST_DAY_AD, dst, pos);
    }

    public static boolean isInfinite(long value) {
        return value == Long.MAX_VALUE || value == Long.MIN_VALUE;
    }

    public static int formatInfinity(long value, byte[] dst, int pos) {
        if (value == Long.MIN_VALUE) {
            dst[pos++] = '-';
        }
        System.arraycopy(INFINITY, 0, dst, pos, INFINITY.length);
        return pos + INFINITY.length;
    }

    /** The day (since 2000-01-01) of a finite value. */
    public static long days(long value, int kind) {
        return kind == DATE ? value : Math.floorDiv(value, MICROS_PER_DAY);
    }

    /** Writes {@code YYYY-MM-DD} (the year as shown, without era) of a day since 2000-01-01. */
    public static int formatDate(long days, byte[] dst, int pos) {
        long z = days + DAYS_1970_TO_2000 + 719_468;
        long era = Math.floorDiv(z, 146_097);
        long doe = z - era * 146_097;
        long yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        long y = yoe + era * 400;
        long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        long mp = (5 * doy + 2) / 153;
        int d = (int) (doy - (153 * mp + 2) / 5 + 1);
        int m = (int) (mp < 10 ? mp + 3 : mp - 9);
        if (m <= 2) {
            y++;
        }
        pos = pad(y <= 0 ? 1 - y : y, 4, dst, pos);
        dst[pos++] = '-';
        pos = pad(m, 2, dst, pos);
        dst[pos++] = '-';
        return pad(d, 2, dst, pos);
    }

    /** Writes what follows the date: time of day, fraction, offset, era. */
    public static int formatRest(long value, int offsetSeconds, int kind, boolean bc, byte[] dst, int pos) {
        if (kind != DATE) {
            long tod = Math.floorMod(value, MICROS_PER_DAY);
            int secs = (int) (tod / 1_000_000);
            int frac = (int) (tod % 1_000_000);
            dst[pos++] = ' ';
            pos = pad(secs / 3600, 2, dst, pos);
            dst[pos++] = ':';
            pos = pad(secs / 60 % 60, 2, dst, pos);
            dst[pos++] = ':';
            pos = pad(secs % 60, 2, dst, pos);
            if (frac != 0) {
                int fd = 6;
                while (frac % 10 == 0) {
                    frac /= 10;
                    fd--;
                }
                dst[pos++] = '.';
                pos = pad(frac, fd, dst, pos);
            }
            if (kind == TIMESTAMPTZ) {
                pos = formatOffset(offsetSeconds, dst, pos);
            }
        }
        if (bc) {
            System.arraycopy(BC, 0, dst, pos, BC.length);
            pos += BC.length;
        }
        return pos;
    }

    private static int formatOffset(int offset, byte[] dst, int pos) {
        dst[pos++] = (byte) (offset < 0 ? '-' : '+');
        int a = Math.abs(offset);
        int h = a / 3600;
        int m = a / 60 % 60;
        int s = a % 60;
        pos = pad(h, 2, dst, pos);
        if (m != 0 || s != 0) {
            dst[pos++] = ':';
            pos = pad(m, 2, dst, pos);
            if (s != 0) {
                dst[pos++] = ':';
                pos = pad(s, 2, dst, pos);
            }
        }
        return pos;
    }

    static long daysFromCivil(long y, int m, int d) {
        y -= m <= 2 ? 1 : 0;
        long era = Math.floorDiv(y, 400);
        long yoe = y - era * 400;
        long doy = (153L * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
        long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        return era * 146_097 + doe - 719_468;
    }

    private static int daysInMonth(int astroYear, int month) {
        return switch (month) {
            case 2 -> (astroYear % 4 == 0 && astroYear % 100 != 0) || astroYear % 400 == 0 ? 29 : 28;
            case 4, 6, 9, 11 -> 30;
            default -> 31;
        };
    }

    private static int pad(long v, int width, byte[] dst, int pos) {
        int end = pos + Math.max(width, TextNumbers.digits(v));
        TextNumbers.writeDigits(v, dst, end, pos);
        return end;
    }

    private static boolean isDigit(byte c) {
        return c >= '0' && c <= '9';
    }

    private static boolean digits(byte[] b, int p, int n) {
        for (int k = p; k < p + n; k++) {
            if (!isDigit(b[k])) {
                return false;
            }
        }
        return true;
    }

    private static int num(byte[] b, int p, int n) {
        int v = 0;
        for (int k = p; k < p + n; k++) {
            v = v * 10 + (b[k] - '0');
        }
        return v;
    }
}
