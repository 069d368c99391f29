package io.helios.postgres.tenant;

/**
 * SQL string literals for the few statements that cannot take a bound parameter (publication
 * row filters, trigger arguments, {@code COPY (SELECT ...)}). The escape-string form
 * {@code E'...'} is used, with every backslash and quote doubled: its meaning does not depend on
 * {@code standard_conforming_strings} (a plain {@code '...'} does: with the setting off, a
 * backslash escapes the quote that follows it). The client encoding of the JDBC driver is
 * always UTF-8, in which no byte of a multi-byte character is a quote or a backslash. Pure.
 */
public final class SqlLiteral {

    private SqlLiteral() {
    }

    /**
     * The value as an {@code E'...'} literal.
     *
     * @throws IllegalArgumentException for a NUL character, which no PostgreSQL string can hold
     */
    public static String of(String value) {
        if (value.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("a NUL character cannot be part of an SQL string");
        }
        return "E'" + value.replace("\\", "\\\\").replace("'", "''") + "'";
    }
}
