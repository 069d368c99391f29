package io.helios.core.tenant;

import java.util.regex.Pattern;

/**
 * A table name pattern: {@code *} matches any run of characters, {@code ?} one character.
 * A pattern with a dot matches {@code schema.table}; without, the table name alone.
 *
 * <p>Matching never backtracks exponentially: {@link #matches} runs the two-pointer wildcard
 * algorithm that, on a mismatch, only returns to the most recent {@code *}. Each name position is
 * revisited at most once per {@code *} of the pattern, so a match costs at most
 * O(n &middot; m) character comparisons for a name of length n and a pattern of length m, with no
 * allocation and no recursion; with the caps below (m &le; {@value #MAX_LENGTH},
 * at most {@value #MAX_WILDCARDS} wildcards) and PostgreSQL's 63-byte identifiers that is a few
 * thousand steps. (The former translation to a {@code java.util.regex} pattern backtracked
 * exponentially: ten {@code *} against a 40-character name did not finish in a minute.)
 *
 * <p>Immutable and thread-safe.
 */
public final class TableGlob {

    /** Longest pattern accepted, in characters. */
    public static final int MAX_LENGTH = 128;
    /** Most wildcards ({@code *} and {@code ?} together) accepted in one pattern. */
    public static final int MAX_WILDCARDS = 16;

    private static final Pattern ALLOWED = Pattern.compile("[A-Za-z0-9_$*?]+(\\.[A-Za-z0-9_$*?]+)?");

    private final String text;
    private final boolean qualified;

    private TableGlob(String text) {
        this.text = text;
        this.qualified = text.indexOf('.') >= 0;
    }

    /**
     * Parses a pattern, refusing one that is not of the documented syntax, longer than
     * {@value #MAX_LENGTH} characters or with more than {@value #MAX_WILDCARDS} wildcards.
     *
     * @throws IllegalArgumentException with a message that says which rule the pattern breaks
     */
    public static TableGlob parse(String text) {
        if (text != null && text.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("table pattern is too long: " + text.length()
                    + " characters, at most " + MAX_LENGTH);
        }
        if (text == null || !ALLOWED.matcher(text).matches()) {
            throw new IllegalArgumentException("table pattern '" + text
                    + "' is not valid: use letters, digits, _, $, * and ?, optionally schema.table");
        }
        long wildcards = text.chars().filter(c -> c == '*' || c == '?').count();
        if (wildcards > MAX_WILDCARDS) {
            throw new IllegalArgumentException("table pattern '" + text + "' has " + wildcards
                    + " wildcards, at most " + MAX_WILDCARDS);
        }
        return new TableGlob(text);
    }

    public boolean matches(String schema, String table) {
        return wildcardMatch(text, qualified ? schema + "." + table : table);
    }

    /**
     * Whether {@code name} matches {@code pattern} ({@code *} any run, {@code ?} one character,
     * everything else literally), in O(n &middot; m) time and constant space.
     */
    static boolean wildcardMatch(String pattern, String name) {
        int p = 0;
        int n = 0;
        int star = -1;
        int resume = 0;
        while (n < name.length()) {
            if (p < pattern.length() && (pattern.charAt(p) == '?' || pattern.charAt(p) == name.charAt(n))) {
                p++;
                n++;
            } else if (p < pattern.length() && pattern.charAt(p) == '*') {
                star = p++;
                resume = n;
            } else if (star >= 0) {
                // let the last star swallow one more character and retry from just after it
                p = star + 1;
                n = ++resume;
            } else {
                return false;
            }
        }
        while (p < pattern.length() && pattern.charAt(p) == '*') {
            p++;
        }
        return p == pattern.length();
    }

    @Override
    public String toString() {
        return text;
    }
}
