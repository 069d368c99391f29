package io.helios.codec.internal;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** The typed text forms read exactly what they write, and write what PostgreSQL writes. */
class TextFormsTest {

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String time(long v, int offset, int kind) {
        byte[] out = new byte[64];
        return new String(out, 0, TextTimes.format(v, offset, kind, out, 0), StandardCharsets.US_ASCII);
    }

    private static boolean timeParses(String s, int kind) {
        return TextTimes.parse(b(s), 0, b(s).length, kind, new long[1], new int[1], 0);
    }

    private static String timeRoundTrip(String s, int kind) {
        long[] v = new long[1];
        int[] o = new int[1];
        assertThat(TextTimes.parse(b(s), 0, b(s).length, kind, v, o, 0)).as(s).isTrue();
        return time(v[0], o[0], kind);
    }

    @Test
    void timestampsMatchPostgresText() {
        for (String s : new String[]{"2000-01-01 00:00:00", "4713-01-01 00:00:00 BC", "294276-12-31 23:59:59.999999",
                "0001-01-01 00:00:00", "0001-12-31 23:59:59 BC", "2024-02-29 12:30:00.5", "1999-12-31 23:59:59.999999",
                "infinity", "-infinity", "1970-01-01 00:00:00.000001", "4714-11-24 00:00:00 BC"}) {
            assertThat(timeRoundTrip(s, TextTimes.TIMESTAMP)).isEqualTo(s);
        }
        for (String s : new String[]{"4714-11-24 00:00:00+00 BC", "2024-06-01 12:00:00+05:30", "1900-01-01 00:00:00+00:19:32",
                "2024-01-01 00:00:00-08", "2024-01-01 00:00:00.25-03:30", "294276-12-31 23:59:59.999999+00"}) {
            assertThat(timeRoundTrip(s, TextTimes.TIMESTAMPTZ)).isEqualTo(s);
        }
        assertThat(timeRoundTrip("4713-01-01 BC", TextTimes.DATE)).isEqualTo("4713-01-01 BC");
        assertThat(time(0, 0, TextTimes.TIMESTAMP)).isEqualTo("2000-01-01 00:00:00");
        assertThat(time(-1, 0, TextTimes.TIMESTAMP)).isEqualTo("1999-12-31 23:59:59.999999");
    }

    @Test
    void nonCanonicalTimesAreRefused() {
        for (String s : new String[]{"2024-02-30 00:00:00", "2023-02-29 00:00:00", "2024-01-01T00:00:00", "2024-01-01 00:00:00.500000",
                "2024-01-01 24:00:00", "24-01-01 00:00:00", "02024-01-01 00:00:00", "0000-01-01 00:00:00", "2024-01-01 00:00:00 bc",
                "Infinity", "2024-01-01 00:00:00+00"}) {
            assertThat(timeParses(s, TextTimes.TIMESTAMP)).as(s).isFalse();
        }
        for (String s : new String[]{"2024-01-01 00:00:00", "2024-01-01 00:00:00-00", "2024-01-01 00:00:00+05:00",
                "2024-01-01 00:00:00+05:30:00", "2024-01-01 00:00:00+5"}) {
            assertThat(timeParses(s, TextTimes.TIMESTAMPTZ)).as(s).isFalse();
        }
    }

    @Test
    void everyTimestampInRangeRoundTrips() {
        Random rnd = new Random(1);
        long lo = -211_813_488_000_000_000L;
        long hi = 9_223_371_331_199_999_999L;
        for (int i = 0; i < 200_000; i++) {
            long v = Math.min(hi, lo + (long) (rnd.nextDouble() * ((double) hi - lo)));
            if (i % 3 == 0) {
                v -= Math.floorMod(v, 1_000_000);
            }
            int kind = i % 3;
            if (kind == TextTimes.DATE) {
                v = Math.floorDiv(v, 86_400_000_000L);
            }
            int offset = kind == TextTimes.TIMESTAMPTZ ? rnd.nextInt(2 * 15 * 3600) - 15 * 3600 : 0;
            String s = time(v, offset, kind);
            long[] back = new long[1];
            int[] off = new int[1];
            assertThat(TextTimes.parse(b(s), 0, s.length(), kind, back, off, 0)).as(s).isTrue();
            assertThat(back[0]).as(s).isEqualTo(v);
            assertThat(off[0]).as(s).isEqualTo(offset);
        }
    }

    @Test
    void floatsMatchPostgresText() {
        String[] f8 = {"NaN", "Infinity", "-Infinity", "-0", "0", "1.7976931348623157e+308", "1e-323", "0.1", "1e-05",
                "0.0001", "123456789012345", "1e+15", "-2.5e-300", "3.141592653589793", "100", "1.5"};
        for (String s : f8) {
            assertThat(TextFloats.parse(b(s), 0, s.length(), false, new long[1], 0, new byte[64])).as(s).isTrue();
        }
        String[] f4 = {"NaN", "-0", "3.4028235e+38", "1e-40", "0.1", "100000", "1e+06", "1.2345679e-05"};
        for (String s : f4) {
            assertThat(TextFloats.parse(b(s), 0, s.length(), true, new long[1], 0, new byte[64])).as(s).isTrue();
        }
        // Java 17's Double.toString gives 4.9E-324 here, not the shortest text: such a column falls back
        assertThat(TextFloats.parse(b("5e-324"), 0, 6, false, new long[1], 0, new byte[64])).isFalse();
        for (String s : new String[]{"1.0", "1E5", "1e5", "+1", "0.10", ".5", "nan", "inf", "1e+5"}) {
            assertThat(TextFloats.parse(b(s), 0, s.length(), false, new long[1], 0, new byte[64])).as(s).isFalse();
        }
    }

    @Test
    void integersAndDecimalsAreCanonicalOnly() {
        long[] v = new long[1];
        int[] sc = new int[1];
        for (String s : new String[]{"0", "-1", "9223372036854775807", "-9223372036854775808"}) {
            assertThat(TextNumbers.parseLong(b(s), 0, s.length(), v, 0)).as(s).isTrue();
            assertThat(Long.toString(v[0])).isEqualTo(s);
        }
        for (String s : new String[]{"", "-", "-0", "007", "+1", "9223372036854775808", "1 ", "1.0"}) {
            assertThat(TextNumbers.parseLong(b(s), 0, s.length(), v, 0)).as(s).isFalse();
        }
        byte[] out = new byte[32];
        for (String s : new String[]{"0", "10.50", "0.05", "-3.10", "0.000000000000000001", "999999999999999999", "-0.5"}) {
            assertThat(TextNumbers.parseDecimal(b(s), 0, s.length(), v, sc, 0)).as(s).isTrue();
            assertThat(new String(out, 0, TextNumbers.formatDecimal(v[0], sc[0], out, 0))).isEqualTo(s);
        }
        for (String s : new String[]{"-0", "-0.00", "00.5", ".5", "5.", "1e5", "NaN", "1234567890123456789"}) {
            assertThat(TextNumbers.parseDecimal(b(s), 0, s.length(), v, sc, 0)).as(s).isFalse();
        }
    }
}
