package io.helios.security;

/**
 * RFC 9457 problem documents for the refusals the security layer answers itself (401, 403, 429,
 * 503), written without a JSON library so the gateway and the services share them verbatim.
 */
public final class Problems {

    /** The media type of every problem answer. */
    public static final String MEDIA_TYPE = "application/problem+json";
    private static final String TYPE_BASE = "https://helios.io/problems/";

    private Problems() {
    }

    public static String unauthorized(String detail, String instance) {
        return json(401, "unauthorized", "Unauthorized", detail, instance);
    }

    public static String forbidden(String detail, String instance) {
        return json(403, "forbidden", "Forbidden", detail, instance);
    }

    public static String tooManyRequests(String detail, String instance) {
        return json(429, "rate-limited", "Too many requests", detail, instance);
    }

    public static String unavailable(String detail, String instance) {
        return json(503, "service-unavailable", "Service unavailable", detail, instance);
    }

    public static String json(int status, String type, String title, String detail, String instance) {
        StringBuilder out = new StringBuilder("{");
        field(out, "type", TYPE_BASE + type).append(',');
        field(out, "title", title).append(',');
        out.append("\"status\":").append(status).append(',');
        field(out, "detail", detail);
        if (instance != null) {
            field(out.append(','), "instance", instance);
        }
        return out.append('}').toString();
    }

    private static StringBuilder field(StringBuilder out, String name, String value) {
        return out.append('"').append(name).append("\":\"").append(escape(value)).append('"');
    }

    static String escape(String s) {
        StringBuilder out = new StringBuilder(s.length() + 8);
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.toString();
    }
}
