package io.helios.failover;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/** Builds small JSON request bodies in tests without a mapper. */
public final class Json {

    private Json() {
    }

    /** Key/value pairs; values may be strings, numbers, booleans, lists of strings, or null (left out). */
    public static String of(Object... keyValues) {
        StringJoiner out = new StringJoiner(",", "{", "}");
        for (int i = 0; i < keyValues.length; i += 2) {
            Object v = keyValues[i + 1];
            if (v != null) {
                out.add(quote(keyValues[i].toString()) + ":" + value(v));
            }
        }
        return out.toString();
    }

    private static String value(Object v) {
        if (v instanceof Number || v instanceof Boolean) {
            return v.toString();
        }
        if (v instanceof List<?> list) {
            List<String> items = new ArrayList<>();
            list.forEach(item -> items.add(value(item)));
            return "[" + String.join(",", items) + "]";
        }
        if (v instanceof Map<?, ?>) {
            throw new IllegalArgumentException("maps are not supported");
        }
        if (v instanceof RawJson raw) {
            return raw.json();
        }
        return quote(v.toString());
    }

    private static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    /** Already-encoded JSON to embed as is. */
    public record RawJson(String json) {
    }
}
