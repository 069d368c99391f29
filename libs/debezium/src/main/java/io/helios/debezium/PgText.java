package io.helios.debezium;

import io.helios.core.change.RowImage;
import org.apache.kafka.connect.data.Schema;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns one Kafka Connect value, as the Debezium PostgreSQL connector built it with this
 * module's settings ({@link DebeziumSettings}), back into PostgreSQL's text output form, so
 * that the applier's type input functions rebuild the value exactly.
 *
 * <p>Dispatch is on the Connect logical type name first (Debezium's {@code io.debezium.time.*},
 * {@code io.debezium.data.*}), then on the source type that
 * {@code column.propagate.source.type} puts into the schema parameters, then on the Connect
 * type. Temporal values are rendered in UTC ({@code +00}), the way a session with
 * {@code TimeZone=UTC} prints them. Stateless and thread-safe.
 *
 * <p>Known gaps (Debezium loses information before we see it): {@code timetz} arrives shifted
 * to UTC (same instant, other offset); a {@code numeric[]} holding {@code NaN} arrives as SQL
 * NULL; multi-dimensional arrays, geometric types and {@code bit(n>1)} are not rebuilt
 * exactly.
 */
final class PgText {

    static final String SOURCE_TYPE = "__debezium.source.column.type";
    private static final String TIME = "io.debezium.time.";

    private final ToastPlaceholder toast;

    PgText(ToastPlaceholder toast) {
        this.toast = toast;
    }

    /** The text of {@code value} for a column of {@code schema}; {@link RowImage#UNCHANGED} for unchanged TOAST. */
    String column(Schema schema, Object value) {
        if (value == null) {
            return null;
        }
        if (toast.matches(value)) {
            return RowImage.UNCHANGED;
        }
        return text(schema, sourceType(schema), value);
    }

    String text(Schema schema, String sourceType, Object value) {
        if (value == null) {
            return null;
        }
        String logical = schema.name();
        if (logical != null) {
            String t = logical(logical, value);
            if (t != null) {
                return t;
            }
        }
        return switch (schema.type()) {
            case BOOLEAN -> bool((Boolean) value, sourceType);
            case INT8, INT16, INT32, INT64 -> value.toString();
            case FLOAT32 -> PgFloats.float4((Float) value);
            case FLOAT64 -> PgFloats.float8((Double) value);
            case STRING -> isNumeric(sourceType) ? decimal((String) value) : value.toString();
            case BYTES -> bytes(value, sourceType);
            case ARRAY -> PgArrays.literal((List<?>) value, element -> text(schema.valueSchema(), elementType(sourceType), element));
            case MAP -> hstore((Map<?, ?>) value);
            case STRUCT -> value.toString();
        };
    }

    private static String logical(String logical, Object value) {
        if (logical.startsWith(TIME)) {
            return PgTemporals.text(logical.substring(TIME.length()), value);
        }
        return null;
    }

    private static boolean isNumeric(String sourceType) {
        return "NUMERIC".equals(sourceType) || "DECIMAL".equals(sourceType);
    }

    /** decimal.handling.mode=string spells NaN and the infinities as enum constant names. */
    private static String decimal(String s) {
        return switch (s) {
            case "NAN" -> "NaN";
            case "POSITIVE_INFINITY" -> "Infinity";
            case "NEGATIVE_INFINITY" -> "-Infinity";
            default -> s;
        };
    }

    private static String bool(Boolean b, String sourceType) {
        if ("BIT".equals(sourceType) || "VARBIT".equals(sourceType) || "BIT VARYING".equals(sourceType)) {
            return b ? "1" : "0";
        }
        return b ? "t" : "f";
    }

    /** bytea as {@code \x} hex; any other binary-mode value is an unknown type's raw text. */
    private static String bytes(Object value, String sourceType) {
        byte[] b = value instanceof ByteBuffer buf ? toArray(buf) : (byte[]) value;
        if (sourceType == null || "BYTEA".equals(sourceType)) {
            return PgArrays.hexBytea(b);
        }
        return new String(b, StandardCharsets.UTF_8);
    }

    private static String hstore(Map<?, ?> map) {
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<?, ?> e : map.entrySet()) {
            if (!sb.isEmpty()) {
                sb.append(", ");
            }
            sb.append(quoteHstore(String.valueOf(e.getKey()))).append("=>");
            sb.append(e.getValue() == null ? "NULL" : quoteHstore(e.getValue().toString()));
        }
        return sb.toString();
    }

    private static String quoteHstore(String s) {
        return '"' + s.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }

    static byte[] toArray(ByteBuffer buf) {
        ByteBuffer b = buf.duplicate();
        byte[] out = new byte[b.remaining()];
        b.get(out);
        return out;
    }

    static String sourceType(Schema schema) {
        Map<String, String> params = schema.parameters();
        String t = params == null ? null : params.get(SOURCE_TYPE);
        return t == null ? null : t.toUpperCase(Locale.ROOT);
    }

    /** PostgreSQL names an array type after its element type with a leading underscore. */
    private static String elementType(String arrayType) {
        return arrayType != null && arrayType.startsWith("_") ? arrayType.substring(1) : null;
    }
}
