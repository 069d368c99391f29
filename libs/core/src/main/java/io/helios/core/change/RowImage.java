package io.helios.core.change;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The values of one row, aligned with its {@link Relation}'s columns, each in PostgreSQL's
 * text output form (exactly what {@code pgoutput} sends), so that applying it on the target
 * through the type's input function reproduces the value bit for bit.
 *
 * <p>A value is either text, SQL NULL ({@code null}), or "unchanged TOAST": an UPDATE that
 * did not touch a large out-of-line value does not carry it, and the applier must leave
 * that column as it is. Immutable once built.
 *
 * <p>Two forms, one behaviour: an image built from strings, or a view of the UTF-8 bytes as
 * they arrived on the wire ({@link #ofUtf8}), which encoders such as the COPY writer read
 * without decoding and re-encoding each value ({@link #utf8Bytes()}); {@link #get} decodes on
 * demand.
 */
public final class RowImage {

    /** Marker for an unchanged TOASTed value; compared by identity. */
    public static final String UNCHANGED = new String("\u0000unchanged-toast\u0000");

    /** {@link #utf8Length} of a SQL NULL. */
    public static final int NULL_LENGTH = -1;
    /** {@link #utf8Length} of an unchanged TOAST value. */
    public static final int UNCHANGED_LENGTH = -2;

    /** String form; null in the byte form. */
    private final String[] values;
    /** Byte form: value i is bytes[offsets[i] .. offsets[i] + lengths[i]), or a *_LENGTH marker. */
    private final byte[] bytes;
    private final int[] offsets;
    private final int[] lengths;

    private RowImage(String[] values, byte[] bytes, int[] offsets, int[] lengths) {
        this.values = values;
        this.bytes = bytes;
        this.offsets = offsets;
        this.lengths = lengths;
    }

    /** Wraps the array without copying; the caller must not change it afterwards. */
    public static RowImage of(String... values) {
        return new RowImage(values, null, null, null);
    }

    /**
     * A view of UTF-8 text values inside {@code bytes} (a received message, say), without copying;
     * lengths {@link #NULL_LENGTH} and {@link #UNCHANGED_LENGTH} mark NULL and unchanged values.
     * The caller must change none of the arrays afterwards.
     */
    public static RowImage ofUtf8(byte[] bytes, int[] offsets, int[] lengths) {
        if (offsets.length != lengths.length) {
            throw new IllegalArgumentException("offsets and lengths differ in size");
        }
        return new RowImage(null, bytes, offsets, lengths);
    }

    public int size() {
        return values != null ? values.length : lengths.length;
    }

    /** The text value, or {@code null} for SQL NULL; never call for an unchanged column. */
    public String get(int i) {
        if (isUnchanged(i)) {
            throw new IllegalStateException("column " + i + " is an unchanged TOAST value");
        }
        if (values != null) {
            return values[i];
        }
        int n = lengths[i];
        return n == NULL_LENGTH ? null : new String(bytes, offsets[i], n, StandardCharsets.UTF_8);
    }

    public boolean isUnchanged(int i) {
        return values != null ? values[i] == UNCHANGED : lengths[i] == UNCHANGED_LENGTH;
    }

    public boolean isNull(int i) {
        return values != null ? values[i] == null : lengths[i] == NULL_LENGTH;
    }

    public boolean hasUnchanged() {
        for (int i = 0; i < size(); i++) {
            if (isUnchanged(i)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The array holding value i's UTF-8 bytes at {@link #utf8Offset}, for encoders that copy them
     * as they are; null when this image holds strings. Must not be modified.
     */
    public byte[] utf8Bytes() {
        return bytes;
    }

    public int utf8Offset(int i) {
        return offsets[i];
    }

    /** Byte length of value i, or {@link #NULL_LENGTH} / {@link #UNCHANGED_LENGTH}. Byte form only. */
    public int utf8Length(int i) {
        return lengths[i];
    }

    /**
     * Roughly what this image holds on the heap: the whole array it is a view of (a received
     * message, shared with the other image of the same change) and its offsets, or its strings.
     */
    public long estimatedBytes() {
        if (values == null) {
            return 48 + 16 + bytes.length + 32 + 8L * lengths.length;
        }
        long total = 16 + 4L * values.length;
        for (String v : values) {
            if (v != null && v != UNCHANGED) {
                total += 40 + v.length();
            }
        }
        return total;
    }

    private String[] strings() {
        if (values != null) {
            return values;
        }
        String[] out = new String[lengths.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = isUnchanged(i) ? UNCHANGED : get(i);
        }
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RowImage r && Arrays.equals(strings(), r.strings());
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(strings());
    }

    @Override
    public String toString() {
        String[] shown = strings().clone();
        for (int i = 0; i < shown.length; i++) {
            if (shown[i] == UNCHANGED) {
                shown[i] = "<unchanged>";
            }
        }
        return Arrays.toString(shown);
    }
}
