package io.helios.core.change;

import java.util.Arrays;

/**
 * The values of one row, aligned with its {@link Relation}'s columns, each in PostgreSQL's
 * text output form (exactly what {@code pgoutput} sends), so that applying it on the target
 * through the type's input function reproduces the value bit for bit.
 *
 * <p>A value is either text, SQL NULL ({@code null}), or "unchanged TOAST": an UPDATE that
 * did not touch a large out-of-line value does not carry it, and the applier must leave
 * that column as it is. Immutable once built.
 */
public final class RowImage {

    /** Marker for an unchanged TOASTed value; compared by identity. */
    public static final String UNCHANGED = new String("\u0000unchanged-toast\u0000");

    private final String[] values;

    private RowImage(String[] values) {
        this.values = values;
    }

    /** Wraps the array without copying; the caller must not change it afterwards. */
    public static RowImage of(String... values) {
        return new RowImage(values);
    }

    public int size() {
        return values.length;
    }

    /** The text value, or {@code null} for SQL NULL; never call for an unchanged column. */
    public String get(int i) {
        String v = values[i];
        if (v == UNCHANGED) {
            throw new IllegalStateException("column " + i + " is an unchanged TOAST value");
        }
        return v;
    }

    public boolean isUnchanged(int i) {
        return values[i] == UNCHANGED;
    }

    public boolean hasUnchanged() {
        for (String v : values) {
            if (v == UNCHANGED) {
                return true;
            }
        }
        return false;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RowImage r && Arrays.equals(values, r.values);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(values);
    }

    @Override
    public String toString() {
        String[] shown = values.clone();
        for (int i = 0; i < shown.length; i++) {
            if (shown[i] == UNCHANGED) {
                shown[i] = "<unchanged>";
            }
        }
        return Arrays.toString(shown);
    }
}
