package io.helios.core.tenant;

import java.util.regex.Pattern;

/**
 * A table name pattern: {@code *} matches any run of characters, {@code ?} one character.
 * A pattern with a dot matches {@code schema.table}; without, the table name alone.
 */
public final class TableGlob {

    private static final Pattern ALLOWED = Pattern.compile("[A-Za-z0-9_$*?]+(\\.[A-Za-z0-9_$*?]+)?");

    private final String text;
    private final Pattern regex;
    private final boolean qualified;

    private TableGlob(String text) {
        this.text = text;
        this.qualified = text.contains(".");
        StringBuilder re = new StringBuilder();
        for (char c : text.toCharArray()) {
            switch (c) {
                case '*' -> re.append(".*");
                case '?' -> re.append('.');
                case '.', '$' -> re.append('\\').append(c);
                default -> re.append(c);
            }
        }
        this.regex = Pattern.compile(re.toString());
    }

    public static TableGlob parse(String text) {
        if (text == null || !ALLOWED.matcher(text).matches()) {
            throw new IllegalArgumentException("table pattern '" + text
                    + "' is not valid: use letters, digits, _, $, * and ?, optionally schema.table");
        }
        return new TableGlob(text);
    }

    public boolean matches(String schema, String table) {
        return regex.matcher(qualified ? schema + "." + table : table).matches();
    }

    @Override
    public String toString() {
        return text;
    }
}
