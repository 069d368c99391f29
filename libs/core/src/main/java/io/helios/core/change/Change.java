package io.helios.core.change;

import java.util.List;
import java.util.Objects;

/**
 * One row change of a source transaction.
 *
 * <ul>
 *   <li>INSERT: {@code after} set, {@code before} null.</li>
 *   <li>UPDATE: {@code after} set; {@code before} holds the old key (or the whole old row
 *       under REPLICA IDENTITY FULL) when the key changed or identity is FULL, else null and
 *       the key is read from {@code after}.</li>
 *   <li>DELETE: {@code before} holds the old key (or the old row), {@code after} null.</li>
 *   <li>TRUNCATE: {@code truncated} lists the relations, images are null.</li>
 * </ul>
 * The images are aligned with {@code relation}; for a key-only {@code before} image the
 * non-key columns are null.
 */
public record Change(Op op, Relation relation, RowImage before, RowImage after, List<Relation> truncated) {

    public enum Op { INSERT, UPDATE, DELETE, TRUNCATE }

    public Change {
        Objects.requireNonNull(op, "op");
        truncated = truncated == null ? List.of() : List.copyOf(truncated);
    }

    public static Change insert(Relation relation, RowImage after) {
        return new Change(Op.INSERT, relation, null, after, null);
    }

    public static Change update(Relation relation, RowImage before, RowImage after) {
        return new Change(Op.UPDATE, relation, before, after, null);
    }

    public static Change delete(Relation relation, RowImage before) {
        return new Change(Op.DELETE, relation, before, null, null);
    }

    public static Change truncate(List<Relation> relations) {
        return new Change(Op.TRUNCATE, null, null, null, relations);
    }

    /**
     * Roughly what this change holds on the heap, for bounding buffers: its images (counted once
     * when both are views of the same received message) and a fixed cost.
     */
    public long estimatedBytes() {
        long total = 48;
        if (after != null) {
            total += after.estimatedBytes();
        }
        if (before != null) {
            total += before.estimatedBytes();
            if (after != null && before.utf8Bytes() != null && before.utf8Bytes() == after.utf8Bytes()) {
                total -= before.utf8Bytes().length; // one received message holds both images
            }
        }
        return total;
    }
}
