package io.helios.codec;

import io.helios.codec.internal.Encoding;
import io.helios.core.change.Change;
import io.helios.core.change.Column;
import io.helios.core.change.Lsn;
import io.helios.core.change.Relation;
import io.helios.core.change.RowImage;
import io.helios.core.change.SourceTransaction;
import io.helios.core.change.TableId;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Hand-picked values at the edges of their types: each must come back byte for byte. */
class BatchCodecEdgeCaseTest {

    private final BatchCodec codec = CodecFixtures.codec();

    /** Round-trips one column of {@code values}; returns the encodings the header declares. */
    private String roundTrip(int type, String... values) {
        ChangeBatch batch = CodecFixtures.column(type, values);
        byte[] encoded = codec.encode(batch);
        ChangeBatch back = codec.decode(encoded);
        assertThat(back).isEqualTo(batch);
        for (int i = 0; i < values.length; i++) {
            assertThat(back.transactions().get(0).changes().get(i).after().get(0)).isEqualTo(values[i]);
        }
        return Encoding.describe(((encoded[6] & 0xFF) << 8) | (encoded[7] & 0xFF));
    }

    @Test
    void nullsEmptyStringsAndUnicodeText() {
        assertThat(roundTrip(25, "", null, "", "x", "héllo wörld", "日本語テキスト", "😀👍🏽", "a\tb\nc\\d\"e'", null))
                .contains("PLAIN");
    }

    @Test
    void floatingPointSpecialsUseGorilla() {
        assertThat(roundTrip(701, "NaN", "Infinity", "-Infinity", "-0", "0", "1.7976931348623157e+308", "1e-323",
                "0.1", "1e-05", "0.0001", "123456789012345", "1e+15", "-2.5e-300", "3.141592653589793")).contains("GORILLA");
        assertThat(roundTrip(700, "NaN", "Infinity", "-Infinity", "-0", "3.4028235e+38", "1e-40", "0.1", "100000",
                "1e+06", "1.2345679e-05")).contains("GORILLA");
    }

    @Test
    void floatTextJavaCannotReproduceFallsBackExactly() {
        // Java 17 formats Double.MIN_VALUE as 4.9E-324, PostgreSQL as 5e-324: the column falls back
        assertThat(roundTrip(701, "5e-324", "1.5")).doesNotContain("GORILLA");
    }

    @Test
    void shortDecimalFloatsUseDecimal() {
        assertThat(roundTrip(701, "21.37", "21.4", "21.41", "-3.5", "0", "22")).contains("DECIMAL");
    }

    @Test
    void numericKeepsItsScaleAndLargePrecisionFallsBack() {
        assertThat(roundTrip(1700, "10.50", "0.05", "-3.10", "0", "1000", "0.000000000000000001")).contains("DECIMAL");
        assertThat(roundTrip(1700, "123456789012345678901234567890.123456789012345678901234567890", "NaN", "Infinity",
                "-0.000001", "1e5")).doesNotContain("DECIMAL").contains("PLAIN");
    }

    @Test
    void integersAtTheirLimits() {
        assertThat(roundTrip(20, "9223372036854775807", "-9223372036854775808", "0", "-1", "1")).contains("DELTA");
        assertThat(roundTrip(21, "32767", "-32768", "0")).contains("DELTA");
        assertThat(roundTrip(23, "1", "007", "2")).contains("PLAIN");
    }

    @Test
    void timestampsAtTheEdgesOfTheirRange() {
        assertThat(roundTrip(1114, "4713-01-01 00:00:00 BC", "294276-12-31 23:59:59.999999", "infinity", "-infinity",
                "2000-01-01 00:00:00", "1999-12-31 23:59:59.999999", "0001-01-01 00:00:00", "0001-12-31 23:59:59 BC",
                "2024-02-29 12:30:00.5", "1970-01-01 00:00:00.000001")).contains("TIMESTAMP");
        assertThat(roundTrip(1184, "4714-11-24 00:00:00+00 BC", "294276-12-31 23:59:59.999999+00", "infinity",
                "2024-06-01 12:00:00+05:30", "1900-01-01 00:00:00+00:19:32", "2024-01-01 00:00:00-08", "2024-01-01 00:00:00.25-03:30"))
                .contains("TIMESTAMP");
        assertThat(roundTrip(1082, "4713-01-01 BC", "2024-02-29", "infinity", "-infinity", "0001-01-01")).contains("TIMESTAMP");
    }

    @Test
    void textThatOnlyLooksLikeATimestampFallsBack() {
        assertThat(roundTrip(1114, "2024-02-30 00:00:00", "2024-01-01T00:00:00", "2024-01-01 00:00:00.500000"))
                .doesNotContain("TIMESTAMP");
        assertThat(roundTrip(1082, "5874897-12-31", "2024-01-01")).doesNotContain("TIMESTAMP");
    }

    @Test
    void veryLargeTextAndBytea() {
        String big = "lorem ipsum ✓ ".repeat(400_000);
        StringBuilder hex = new StringBuilder("\\x");
        for (int i = 0; i < 1_000_000; i++) {
            hex.append(String.format("%02x", (i * 31) & 0xFF));
        }
        assertThat(roundTrip(25, big, "", big + "!")).contains("PLAIN");
        assertThat(roundTrip(17, hex.toString(), "\\x", null)).contains("BYTEA_HEX");
        assertThat(roundTrip(17, "\\xDEADBEEF", "\\x00")).doesNotContain("BYTEA_HEX");
    }

    @Test
    void jsonbArraysUuidsAndEnums() {
        roundTrip(3802, "{\"a\": [1, 2, {\"b\": null}], \"c\": \"ü\"}", "[]", "{}", "\"x\"", "null", "12.5");
        roundTrip(1009, "{1,2,3}", "{\"a b\",NULL,\"c\\\"d\"}", "{{1,2},{3,4}}", "{}");
        assertThat(roundTrip(2950, "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11", "00000000-0000-0000-0000-000000000000",
                "ffffffff-ffff-ffff-ffff-ffffffffffff")).contains("UUID");
        assertThat(roundTrip(2950, "A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11")).doesNotContain("UUID");
        String[] statuses = new String[200];
        for (int i = 0; i < statuses.length; i++) {
            statuses[i] = List.of("new", "paid", "shipped").get(i % 7 % 3);
        }
        assertThat(roundTrip(16_501, statuses)).contains("DICTIONARY");
        assertThat(roundTrip(16, "t", "f", "t", "t", null, "f")).contains("DICTIONARY");
    }

    @Test
    void unchangedToastKeyOnlyDeletesAndTruncates() {
        Relation rel = new Relation(1, new TableId("s", "t"), List.of(new Column("id", 20, -1, true),
                new Column("doc", 25, -1, false)), 'd');
        Relation other = new Relation(2, new TableId("s", "u"), List.of(new Column("id", 23, -1, true)), 'f');
        List<Change> changes = List.of(
                Change.insert(rel, RowImage.of("1", "x".repeat(10_000))),
                Change.update(rel, null, RowImage.of("1", RowImage.UNCHANGED)),
                Change.update(rel, RowImage.of("1", null), RowImage.of("2", RowImage.UNCHANGED)),
                Change.delete(rel, RowImage.of("2", null)),
                Change.truncate(List.of(rel, other)),
                Change.insert(other, RowImage.of("5")));
        ChangeBatch batch = new ChangeBatch("t", "r", 1, List.of(
                new SourceTransaction(1, new Lsn(10), new Lsn(20), Instant.EPOCH, changes),
                new SourceTransaction(2, new Lsn(30), new Lsn(40), Instant.parse("2026-05-01T00:00:00Z"), List.of())));
        ChangeBatch back = codec.decode(codec.encode(batch));
        assertThat(back).isEqualTo(batch);
        assertThat(back.transactions().get(0).changes().get(1).after().isUnchanged(1)).isTrue();
    }

    @Test
    void tableWithoutColumnsRoundTrips() {
        Relation empty = new Relation(9, new TableId("s", "nothing"), List.of(), 'n');
        ChangeBatch batch = new ChangeBatch("t", "r", 1, List.of(new SourceTransaction(1, new Lsn(1), new Lsn(2),
                Instant.EPOCH, List.of(Change.insert(empty, RowImage.of()), Change.insert(empty, RowImage.of())))));
        assertThat(codec.decode(codec.encode(batch))).isEqualTo(batch);
    }

    @Test
    void emptyBatchRoundTrips() {
        ChangeBatch empty = new ChangeBatch("t", "r", 0, List.of());
        assertThat(codec.decode(codec.encode(empty))).isEqualTo(empty);
    }
}
