package io.helios.debezium;

import java.util.List;
import java.util.function.Function;

/**
 * PostgreSQL array literals as {@code array_out} prints them: {@code {a,"b c",NULL,"x\"y"}}.
 * An element is double-quoted when it is empty, spells NULL, or holds a brace, a comma, a
 * quote, a backslash or white space; quotes and backslashes inside are escaped. Stateless.
 */
final class PgArrays {

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private PgArrays() {
    }

    /** One-dimensional literal; {@code element} renders a non-null element as text. */
    static String literal(List<?> values, Function<Object, String> element) {
        StringBuilder sb = new StringBuilder().append('{');
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) {
                sb.append(',');
            }
            Object v = values.get(i);
            if (v == null) {
                sb.append("NULL");
            } else {
                appendElement(sb, element.apply(v));
            }
        }
        return sb.append('}').toString();
    }

    static void appendElement(StringBuilder sb, String text) {
        if (!needsQuotes(text)) {
            sb.append(text);
            return;
        }
        sb.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"' || c == '\\') {
                sb.append('\\');
            }
            sb.append(c);
        }
        sb.append('"');
    }

    private static boolean needsQuotes(String text) {
        if (text.isEmpty() || text.equalsIgnoreCase("NULL")) {
            return true;
        }
        for (int i = 0; i < text.length(); i++) {
            switch (text.charAt(i)) {
                case '{', '}', ',', '"', '\\', ' ', '\t', '\n', '\r', '\u000b', '\f':
                    return true;
                default:
                    break;
            }
        }
        return false;
    }

    /** bytea in hex output form: {@code \x0a1b}. */
    static String hexBytea(byte[] bytes) {
        char[] out = new char[2 + bytes.length * 2];
        out[0] = '\\';
        out[1] = 'x';
        for (int i = 0; i < bytes.length; i++) {
            out[2 + 2 * i] = HEX[(bytes[i] >> 4) & 0xF];
            out[3 + 2 * i] = HEX[bytes[i] & 0xF];
        }
        return new String(out);
    }
}
