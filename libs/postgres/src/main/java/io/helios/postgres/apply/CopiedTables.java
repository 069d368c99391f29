package io.helios.postgres.apply;

import io.helios.core.change.Change;
import io.helios.core.change.Lsn;
import io.helios.core.change.Relation;
import io.helios.core.change.SourceTransaction;
import io.helios.core.change.TableId;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Tables copied while the replication runs, each up to a source position
 * ({@link io.helios.postgres.copy.TableSync}): their changes in source transactions ending at or
 * before that position are in the copy and are dropped from what the applier writes; later ones
 * pass. A transaction keeps its place (and advances the checkpoint) even when nothing of it is
 * left. Single-threaded, owned by one {@link TransactionApplier}.
 */
final class CopiedTables {

    private final Map<TableId, Lsn> copiedUpTo = new HashMap<>();

    void copied(TableId table, Lsn upTo) {
        copiedUpTo.merge(table, upTo, Lsn::max);
    }

    /** Forgets the tables copied up to a position the target's checkpoint has reached. */
    void passed(Lsn applied) {
        if (applied != null) {
            copiedUpTo.values().removeIf(at -> at.isAtOrBefore(applied));
        }
    }

    boolean isEmpty() {
        return copiedUpTo.isEmpty();
    }

    /** The transactions without the changes their copies already hold. */
    List<SourceTransaction> withoutCopied(List<SourceTransaction> todo) {
        if (copiedUpTo.isEmpty()) {
            return todo;
        }
        List<SourceTransaction> out = new ArrayList<>(todo.size());
        for (SourceTransaction tx : todo) {
            out.add(withoutCopied(tx));
        }
        return out;
    }

    /**
     * The changes of one source transaction ending at {@code end} without those its copies hold,
     * read lazily: how a spilled transaction, streamed back from disk, is filtered.
     */
    Iterator<Change> withoutCopied(Iterator<Change> changes, Lsn end) {
        if (copiedUpTo.isEmpty()) {
            return changes;
        }
        return new Iterator<>() {
            private Change next = advance();

            private Change advance() {
                while (changes.hasNext()) {
                    Change ch = changes.next();
                    Change left = ch.op() == Change.Op.TRUNCATE ? truncateLeft(ch, end) : inCopy(ch.relation(), end) ? null : ch;
                    if (left != null) {
                        return left;
                    }
                }
                return null;
            }

            @Override
            public boolean hasNext() {
                return next != null;
            }

            @Override
            public Change next() {
                if (next == null) {
                    throw new java.util.NoSuchElementException();
                }
                Change out = next;
                next = advance();
                return out;
            }
        };
    }

    private SourceTransaction withoutCopied(SourceTransaction tx) {
        List<Change> kept = null;
        for (int i = 0; i < tx.changes().size(); i++) {
            Change ch = tx.changes().get(i);
            Change left = ch.op() == Change.Op.TRUNCATE ? truncateLeft(ch, tx.endLsn()) : inCopy(ch.relation(), tx.endLsn()) ? null : ch;
            if (left != ch && kept == null) {
                kept = new ArrayList<>(tx.changes().subList(0, i));
            }
            if (kept != null && left != null) {
                kept.add(left);
            }
        }
        return kept == null ? tx : new SourceTransaction(tx.xid(), tx.commitLsn(), tx.endLsn(), tx.commitTime(), kept);
    }

    private Change truncateLeft(Change truncate, Lsn end) {
        List<Relation> left = truncate.truncated().stream().filter(r -> !inCopy(r, end)).toList();
        if (left.size() == truncate.truncated().size()) {
            return truncate;
        }
        return left.isEmpty() ? null : Change.truncate(left);
    }

    private boolean inCopy(Relation relation, Lsn end) {
        Lsn at = copiedUpTo.get(relation.table());
        return at != null && end.isAtOrBefore(at);
    }
}
