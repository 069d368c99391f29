package io.helios.security;

import java.util.Arrays;
import java.util.List;

/**
 * A path pattern of the access table: literal segments, {@code *} for exactly one segment and a
 * final {@code **} for any number of segments (zero included). No regular expressions, so a
 * pattern means the same to the gateway (WebFlux) and to the services (MVC). Immutable.
 */
public record PathPattern(String pattern, List<String> segments) {

    public static PathPattern of(String pattern) {
        List<String> segments = split(pattern);
        for (int i = 0; i < segments.size(); i++) {
            if (segments.get(i).equals("**") && i != segments.size() - 1) {
                throw new IllegalArgumentException("'**' may only end a pattern: " + pattern);
            }
        }
        return new PathPattern(pattern, List.copyOf(segments));
    }

    public boolean matches(String path) {
        List<String> actual = split(path);
        for (int i = 0; i < segments.size(); i++) {
            String s = segments.get(i);
            if (s.equals("**")) {
                return true;
            }
            if (i >= actual.size() || !(s.equals("*") || s.equals(actual.get(i)))) {
                return false;
            }
        }
        return actual.size() == segments.size();
    }

    private static List<String> split(String path) {
        return Arrays.stream(path.split("/")).filter(s -> !s.isEmpty()).toList();
    }

    @Override
    public String toString() {
        return pattern;
    }
}
