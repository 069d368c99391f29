package io.helios.debezium;

import io.helios.core.change.RowImage;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The text forms that the integration tests cannot reach cheaply (edge values, other styles). */
class PgTextFormsTest {

    private final ToastPlaceholder toast = new ToastPlaceholder(ToastPlaceholder.DEFAULT);
    private final PgText text = new PgText(toast);

    @Test
    void intervalsFollowPostgresStyle() {
        assertThat(PgIntervals.fromIso("P1Y2M-3DT4H5M6.789S")).isEqualTo("1 year 2 mons -3 days +04:05:06.789");
        assertThat(PgIntervals.fromIso("P0Y0M0DT0H0M0S")).isEqualTo("00:00:00");
        assertThat(PgIntervals.fromIso("P0Y0M1DT0H0M0S")).isEqualTo("1 day");
        assertThat(PgIntervals.fromIso("P0Y0M0DT-100H-1M-0.5S")).isEqualTo("-100:01:00.5");
        assertThat(PgIntervals.fromIso("P-1Y0M0DT0H0M0S")).isEqualTo("-1 years");
    }

    @Test
    void floatsUseShortestDigitsAndPostgresExponents() {
        assertThat(PgFloats.float8(0.1)).isEqualTo("0.1");
        assertThat(PgFloats.float8(1e20)).isEqualTo("1e+20");
        assertThat(PgFloats.float8(123456789012345.0)).isEqualTo("123456789012345");
        assertThat(PgFloats.float8(1.5e-5)).isEqualTo("1.5e-05");
        assertThat(PgFloats.float8(-0.0)).isEqualTo("-0");
        assertThat(PgFloats.float8(Double.NEGATIVE_INFINITY)).isEqualTo("-Infinity");
        assertThat(PgFloats.float4(1234567f)).isEqualTo("1.234567e+06");
        assertThat(PgFloats.float4(Float.NaN)).isEqualTo("NaN");
    }

    @Test
    void temporalsAreIsoInUtcWithBcAndInfinity() {
        assertThat(PgTemporals.text("Date", (int) LocalDate.of(0, 3, 15).toEpochDay())).isEqualTo("0001-03-15 BC");
        assertThat(PgTemporals.text("MicroTimestamp", 0L)).isEqualTo("1970-01-01 00:00:00");
        assertThat(PgTemporals.text("MicroTimestamp", 9223372036825200000L)).isEqualTo("infinity");
        assertThat(PgTemporals.text("ZonedTimestamp", "2024-02-29T18:29:59.1Z")).isEqualTo("2024-02-29 18:29:59.1+00");
        assertThat(PgTemporals.text("MicroTime", 86_400_000_000L)).isEqualTo("24:00:00");
        assertThat(PgTemporals.text("ZonedTime", "10:15:30.25Z")).isEqualTo("10:15:30.25+00");
    }

    @Test
    void arrayElementsAreQuotedLikeArrayOut() {
        Schema texts = SchemaBuilder.array(Schema.OPTIONAL_STRING_SCHEMA).optional().build();
        assertThat(text.column(texts, Arrays.asList("a", "b c", "", null, "NULL", "x\"y\\z", "{}")))
                .isEqualTo("{a,\"b c\",\"\",NULL,\"NULL\",\"x\\\"y\\\\z\",\"{}\"}");
    }

    @Test
    void byteaAndUnknownTypesAreToldApartBySourceType() {
        Schema bytea = SchemaBuilder.bytes().optional().parameter(PgText.SOURCE_TYPE, "BYTEA").build();
        Schema ltreeLike = SchemaBuilder.bytes().optional().parameter(PgText.SOURCE_TYPE, "MYTYPE").build();
        assertThat(text.column(bytea, new byte[] {0, (byte) 0xff, 0x10})).isEqualTo("\\x00ff10");
        assertThat(text.column(ltreeLike, "a.b".getBytes(StandardCharsets.UTF_8))).isEqualTo("a.b");
    }

    @Test
    void numericSpecialsAndBitsAndHstore() {
        Schema numeric = SchemaBuilder.string().optional().parameter(PgText.SOURCE_TYPE, "NUMERIC").build();
        Schema bit = SchemaBuilder.bool().optional().parameter(PgText.SOURCE_TYPE, "BIT").build();
        Schema hstore = SchemaBuilder.map(Schema.STRING_SCHEMA, Schema.OPTIONAL_STRING_SCHEMA).optional().build();
        assertThat(text.column(numeric, "NAN")).isEqualTo("NaN");
        assertThat(text.column(numeric, "-1.500")).isEqualTo("-1.500");
        assertThat(text.column(bit, true)).isEqualTo("1");
        assertThat(text.column(hstore, Map.of("k", "v\"1"))).isEqualTo("\"k\"=>\"v\\\"1\"");
    }

    @Test
    void everyToastPlaceholderShapeIsUnchanged() {
        byte[] bytes = ToastPlaceholder.DEFAULT.getBytes(StandardCharsets.US_ASCII);
        List<Integer> ints = new ArrayList<>();
        for (byte b : bytes) {
            ints.add((int) b);
        }
        Schema any = Schema.OPTIONAL_STRING_SCHEMA;
        assertThat(text.column(any, ToastPlaceholder.DEFAULT)).isSameAs(RowImage.UNCHANGED);
        assertThat(toast.matches(bytes)).isTrue();
        assertThat(toast.matches(List.of(ToastPlaceholder.DEFAULT))).isTrue();
        assertThat(toast.matches(ints)).isTrue();
        assertThat(toast.matches(Map.of(ToastPlaceholder.DEFAULT, ToastPlaceholder.DEFAULT))).isTrue();
        assertThat(toast.matches("other")).isFalse();
    }

    @Test
    void seededOffsetIsWhatOffsetStorageWriterWrites() {
        assertThat(StandardCharsets.UTF_8.decode(SeededOffsetStore.key("helios-s", "helios")).toString())
                .isEqualTo("[\"helios-s\",{\"server\":\"helios\"}]");
        assertThat(StandardCharsets.UTF_8.decode(SeededOffsetStore.value(42)).toString()).isEqualTo("{\"lsn\":42}");
        assertThat(TransactionCollector.parseXid("771")).isEqualTo(771);
        assertThat(TransactionCollector.parseXid("771:22351")).isEqualTo(771);
    }
}
