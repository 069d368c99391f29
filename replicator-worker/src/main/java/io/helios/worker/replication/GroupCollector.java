package io.helios.worker.replication;

import io.helios.core.capture.CaptureEngine;
import io.helios.core.change.SourceTransaction;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * Takes the next group of whole source transactions from a capture engine, in commit order,
 * adapting to the stream: it waits only for the first transaction, then adds those that have
 * already arrived (zero-wait polls) until one of the {@link GroupLimits} would be passed or
 * none is left. An idle stream so gets each transaction applied at once; a busy one gets large
 * groups and few target commits. The lag budget stops a group that the stream keeps feeding
 * from holding its first transaction back any longer.
 *
 * <p>A transaction that would push a group past its row or byte bound is kept for the next
 * group rather than applied over the bound, so the bounds hold unless one transaction alone
 * exceeds them. Sizes are the ones the capture reader counted
 * ({@link SourceTransaction#estimatedBytes()}); nothing walks the changes again. A transaction
 * that spilled to disk ({@link SourceTransaction#isSpilled()}) always makes a group alone: the
 * applier streams it back from disk in source order, which it does for no larger group.
 *
 * <p>Threading and lifecycle: confined to the replication's runner thread, like the engine's
 * consumer side; one collector per started engine (a kept transaction belongs to that engine's
 * stream and is dropped with it; the next engine resends it from the checkpoint).
 */
final class GroupCollector {

    /**
     * One group, applied as one target transaction.
     *
     * @param transactions whole source transactions in commit order; empty when none came
     * @param rows         their rows
     * @param bytes        their estimated bytes
     * @param waitNanos    how long the collector waited for the first one
     */
    record Group(List<SourceTransaction> transactions, long rows, long bytes, long waitNanos) {

        boolean isEmpty() {
            return transactions.isEmpty();
        }
    }

    private final CaptureEngine engine;
    private final GroupLimits limits;
    private final long lagBudgetNanos;
    private final LongSupplier nanoTime;
    /** Taken from the engine but past the last group's bounds: the next group's first. */
    private SourceTransaction kept;

    GroupCollector(CaptureEngine engine, GroupLimits limits, LongSupplier nanoTime) {
        this.engine = engine;
        this.limits = limits;
        this.lagBudgetNanos = limits.lagBudget().toNanos();
        this.nanoTime = nanoTime;
    }

    /** The next group, waiting at most {@code firstWait} for its first transaction. */
    Group next(Duration firstWait) throws InterruptedException {
        long waitStart = nanoTime.getAsLong();
        SourceTransaction first = kept != null ? kept : engine.poll(firstWait);
        kept = null;
        long taken = nanoTime.getAsLong();
        if (first == null) {
            return new Group(List.of(), 0, 0, taken - waitStart);
        }
        List<SourceTransaction> group = new ArrayList<>();
        group.add(first);
        long rows = first.rowCount();
        long bytes = first.estimatedBytes();
        while (!first.isSpilled() && hasRoom(group.size(), rows, bytes) && nanoTime.getAsLong() - taken <= lagBudgetNanos) {
            SourceTransaction next = engine.poll(Duration.ZERO);
            if (next == null) {
                break;
            }
            if (next.isSpilled() || rows + next.rowCount() > limits.maxRows()
                    || bytes + next.estimatedBytes() > limits.maxBytes()) {
                kept = next;
                break;
            }
            group.add(next);
            rows += next.rowCount();
            bytes += next.estimatedBytes();
        }
        return new Group(group, rows, bytes, taken - waitStart);
    }

    private boolean hasRoom(int transactions, long rows, long bytes) {
        return transactions < limits.maxTransactions() && rows < limits.maxRows() && bytes < limits.maxBytes();
    }
}
