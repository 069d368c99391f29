package io.helios.testsupport;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Odd spellings of a request path, for tests that throw them at every door: percent-encoded and
 * double-encoded letters, mixed case, {@code ;} parameters, {@code //}, {@code /./}, {@code ..}
 * (plain and encoded), encoded slashes and backslashes, a trailing slash. A door must refuse each
 * one unless it would allow the canonical path for the same caller. Stateless.
 */
public final class PathVariants {

    private PathVariants() {
    }

    /**
     * The variants of {@code path} (canonical: starts with {@code /}, no trailing slash, at least two
     * segments), keyed by a short description.
     */
    public static Map<String, String> of(String path) {
        List<String> s = Arrays.stream(path.split("/")).filter(p -> !p.isEmpty()).toList();
        if (s.size() < 2) {
            throw new IllegalArgumentException("need at least two segments: " + path);
        }
        String first = s.get(0);
        String rest = join(s.subList(1, s.size()));
        String last = s.get(s.size() - 1);
        String head = join(s.subList(0, s.size() - 1));
        Map<String, String> v = new LinkedHashMap<>();
        v.put("encoded letter", "/" + encodeFirst(first) + rest);
        v.put("encoded letter in the last segment", head + "/" + encodeFirst(last));
        v.put("double-encoded letter", "/" + "%25" + hex(first.charAt(0)) + first.substring(1) + rest);
        v.put("upper case", path.toUpperCase(Locale.ROOT));
        v.put("mixed case in the last segment", head + "/" + capitalise(last));
        v.put("; parameter", "/" + first + ";x=1" + rest);
        v.put("; parameter at the end", path + ";jsessionid=1");
        v.put("leading //", "/" + path);
        v.put("inner //", "/" + first + "/" + rest);
        v.put("/./", "/" + first + "/." + rest);
        v.put("..", "/" + first + "/zz/.." + rest);
        v.put("encoded ..", "/" + first + "/zz/%2e%2e" + rest);
        v.put("encoded /", "/" + first + "%2F" + rest.substring(1));
        v.put("encoded \\", "/" + first + "%5C" + rest.substring(1));
        v.put("trailing /", path + "/");
        return v;
    }

    private static String join(List<String> segments) {
        StringBuilder out = new StringBuilder();
        for (String seg : segments) {
            out.append('/').append(seg);
        }
        return out.toString();
    }

    private static String encodeFirst(String segment) {
        return "%" + hex(segment.charAt(0)) + segment.substring(1);
    }

    private static String hex(char c) {
        return String.format("%02X", (int) c);
    }

    private static String capitalise(String segment) {
        char c = segment.charAt(0);
        char flipped = Character.isUpperCase(c) ? Character.toLowerCase(c) : Character.toUpperCase(c);
        if (flipped == c) {
            // no letter to flip (a digit): flip the first letter found
            List<Character> chars = new ArrayList<>();
            for (char x : segment.toCharArray()) {
                chars.add(x);
            }
            for (int i = 0; i < chars.size(); i++) {
                if (Character.isLetter(chars.get(i))) {
                    return segment.substring(0, i) + Character.toUpperCase(chars.get(i)) + segment.substring(i + 1);
                }
            }
            return segment.toUpperCase(Locale.ROOT);
        }
        return flipped + segment.substring(1);
    }
}
