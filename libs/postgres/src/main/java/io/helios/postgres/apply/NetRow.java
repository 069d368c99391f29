package io.helios.postgres.apply;

import io.helios.core.change.RowImage;

import java.util.BitSet;

/**
 * The net effect, over one group of source transactions, of every change to one row (one key)
 * of one table: what {@link NetChanges} folds the row's changes into. Mutable while the group is
 * folded, then read by {@link SetApply}; confined to the applier's thread.
 */
final class NetRow {

    /**
     * INSERT: the row is new (written whole); UPDATE: the row existed and keeps existing, the
     * {@link #carried} columns get new values; DELETE: the row existed and is gone; REPLACE: the
     * row existed, was deleted and inserted again (applied as a delete and an insert); NONE: the
     * row was inserted and deleted again within the group (nothing to apply).
     */
    enum Kind { INSERT, UPDATE, DELETE, REPLACE, NONE }

    private Kind kind;
    /** The key values, as the key columns of the row image (text form). */
    private final String[] key;
    /**
     * The one image the row's values come from while no second change merged into it: inserts that
     * nothing changed afterwards (a load) go to the target from the bytes they arrived in.
     */
    private RowImage image;
    /** Column values (text form) by position once merged; for UPDATE only {@link #carried} positions are meaningful. */
    private String[] values;
    private final int width;
    /** Columns an UPDATE sets; all columns for INSERT and REPLACE. */
    private final BitSet carried;

    private NetRow(Kind kind, String[] key, int width) {
        this.kind = kind;
        this.key = key;
        this.width = width;
        this.carried = new BitSet(width);
    }

    static NetRow inserted(String[] key, RowImage after) {
        NetRow row = new NetRow(Kind.INSERT, key, after.size());
        row.write(after);
        return row;
    }

    static NetRow updated(String[] key, RowImage after) {
        NetRow row = new NetRow(Kind.UPDATE, key, after.size());
        row.write(after);
        return row;
    }

    static NetRow deleted(String[] key, int width) {
        return new NetRow(Kind.DELETE, key, width);
    }

    Kind kind() {
        return kind;
    }

    String[] key() {
        return key;
    }

    String value(int position) {
        return values != null ? values[position] : image == null ? null : image.get(position);
    }

    /** The row as one image (INSERT and REPLACE rows carry every column). */
    RowImage image() {
        return values == null ? image : RowImage.of(values.clone());
    }

    BitSet carried() {
        return carried;
    }

    /**
     * Folds the next change of this row in; false when the sequence cannot come from a source
     * whose rows this key identifies (an insert of a row that exists, a change of a row that does
     * not): the caller then applies the table in source order, where such a change meets the
     * conflict handling it would have met without the reduction.
     */
    boolean insert(RowImage after) {
        if (kind == Kind.NONE) {
            kind = Kind.INSERT;
        } else if (kind == Kind.DELETE) {
            kind = Kind.REPLACE;
        } else {
            return false;
        }
        carried.clear();
        image = null;
        values = null;
        write(after);
        return true;
    }

    boolean update(RowImage after) {
        if (kind == Kind.DELETE || kind == Kind.NONE) {
            return false;
        }
        write(after);
        return true;
    }

    boolean delete() {
        switch (kind) {
            case INSERT -> kind = Kind.NONE;
            case UPDATE, REPLACE -> kind = Kind.DELETE;
            default -> {
                return false;
            }
        }
        carried.clear();
        image = null;
        values = null;
        return true;
    }

    /** Takes every value the image carries; an unchanged TOAST value keeps what the row already had. */
    private void write(RowImage img) {
        if (values == null && image == null) {
            image = img;
            for (int i = 0; i < img.size(); i++) {
                if (!img.isUnchanged(i)) {
                    carried.set(i);
                }
            }
            return;
        }
        if (values == null) {
            values = new String[width];
            for (int i = 0; i < width; i++) {
                values[i] = image.isUnchanged(i) ? null : image.get(i);
            }
            image = null;
        }
        for (int i = 0; i < img.size(); i++) {
            if (!img.isUnchanged(i)) {
                values[i] = img.get(i);
                carried.set(i);
            }
        }
    }
}
