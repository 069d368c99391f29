package io.helios.worker.replication;

import io.helios.core.capture.CaptureEngine;
import io.helios.core.change.SourceTransaction;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * Takes the next group of whole source transactions from a capture engine, in commit order:
 * waits for the first, then adds what has already arrived (zero-wait polls) within the
 * {@link GroupLimits}.
 *
 * <p>Threading: confined to the replication's runner thread, like the engine's consumer side.
 */
final class GroupCollector {

    /**
     * One group, applied as one target transaction.
     *
     * @param transactions whole source transactions in commit order; empty when none came
     * @param rows         their rows
     * @param waitNanos    how long the collector waited for the first one
     */
    record Group(List<SourceTransaction> transactions, long rows, long waitNanos) {

        boolean isEmpty() {
            return transactions.isEmpty();
        }
    }

    private final CaptureEngine engine;
    private final GroupLimits limits;
    private final LongSupplier nanoTime;

    GroupCollector(CaptureEngine engine, GroupLimits limits, LongSupplier nanoTime) {
        this.engine = engine;
        this.limits = limits;
        this.nanoTime = nanoTime;
    }

    /** The next group, waiting at most {@code firstWait} for its first transaction. */
    Group next(Duration firstWait) throws InterruptedException {
        long waitStart = nanoTime.getAsLong();
        SourceTransaction first = engine.poll(firstWait);
        long waited = nanoTime.getAsLong() - waitStart;
        if (first == null) {
            return new Group(List.of(), 0, waited);
        }
        List<SourceTransaction> group = new ArrayList<>();
        group.add(first);
        long rows = first.rowCount();
        while (group.size() < limits.maxTransactions() && rows < limits.maxRows()) {
            SourceTransaction next = engine.poll(Duration.ZERO);
            if (next == null) {
                break;
            }
            group.add(next);
            rows += next.rowCount();
        }
        return new Group(group, rows, waited);
    }
}
