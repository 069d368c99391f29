package io.helios.debezium;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Recognises Debezium's stand-ins for an unchanged TOASTed value
 * ({@code unavailable.value.placeholder}) in every shape the PostgreSQL connector gives it:
 * the string, its bytes, a one-element list of either (text and bytea arrays), the list of
 * its byte values (int and bigint arrays), the UUID named by it (uuid arrays) and the map
 * from it to itself (hstore). Immutable.
 */
final class ToastPlaceholder {

    /** ASCII on purpose: Debezium turns it into bytes with the platform charset. */
    static final String DEFAULT = "__helios_unchanged_toast_7f3e1c__";

    private final String text;
    private final byte[] bytes;
    private final String uuid;

    ToastPlaceholder(String text) {
        this.text = text;
        this.bytes = text.getBytes(StandardCharsets.US_ASCII);
        this.uuid = UUID.nameUUIDFromBytes(bytes).toString();
    }

    String text() {
        return text;
    }

    boolean matches(Object value) {
        if (value instanceof String s) {
            return s.length() == text.length() && s.equals(text);
        }
        if (value instanceof byte[] || value instanceof ByteBuffer) {
            return isBytes(value);
        }
        if (value instanceof List<?> list) {
            return matchesList(list);
        }
        if (value instanceof Map<?, ?> map) {
            return map.size() == 1 && text.equals(map.get(text));
        }
        return false;
    }

    private boolean matchesList(List<?> list) {
        if (list.size() == 1) {
            Object e = list.get(0);
            return text.equals(e) || uuid.equals(e) || (e != null && isBytes(e));
        }
        if (list.size() != bytes.length) {
            return false;
        }
        for (int i = 0; i < bytes.length; i++) {
            if (!(list.get(i) instanceof Number n) || n.longValue() != bytes[i]) {
                return false;
            }
        }
        return true;
    }

    private boolean isBytes(Object value) {
        byte[] b = value instanceof ByteBuffer buf ? PgText.toArray(buf) : value instanceof byte[] a ? a : null;
        return b != null && Arrays.equals(b, bytes);
    }
}
