package io.helios.debezium;

import io.debezium.engine.DebeziumEngine;
import io.debezium.engine.RecordChangeEvent;
import org.apache.kafka.connect.source.SourceRecord;

import java.util.ArrayDeque;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Tells Debezium which records are done, so that it flushes the slot only up to what Helios
 * has applied. Every record's source offset names the position Debezium would confirm to
 * the server if that record were the last one processed: {@code lsn_commit} (the end LSN of
 * the last transaction committed before it), else {@code lsn_proc}, else {@code lsn}. A record
 * is marked processed once that position is at or before the LSN the consumer confirmed; the
 * records of a transaction become so when the transaction is confirmed, and heartbeats
 * between transactions right after.
 *
 * <p>Only the last record of each run with the same position is kept, so the backlog stays
 * about as long as the number of unconfirmed transactions.
 *
 * <p>Threading: {@link #track} and {@link #markConfirmed} run on the Debezium consumer thread
 * (the committer is not thread-safe); {@link #confirm} on the Helios consumer thread.
 */
final class OffsetTracker {

    static final String LSN_COMMIT = "lsn_commit";
    static final String LSN_PROC = "lsn_proc";
    static final String LSN = "lsn";

    private record Pending(RecordChangeEvent<SourceRecord> event, long position) {
    }

    private final AtomicLong confirmed;
    private final ArrayDeque<Pending> pending = new ArrayDeque<>();
    /** The newest position handed to Debezium as processed (written by the Debezium thread). */
    private volatile long markedUpTo;

    OffsetTracker(long appliedUpTo) {
        this.confirmed = new AtomicLong(appliedUpTo);
        this.markedUpTo = appliedUpTo;
    }

    /** Whether Debezium has been told that everything the consumer confirmed is processed. */
    boolean settled() {
        return Long.compareUnsigned(markedUpTo, confirmed.get()) >= 0;
    }

    void confirm(long lsn) {
        confirmed.accumulateAndGet(lsn, (a, b) -> Long.compareUnsigned(a, b) >= 0 ? a : b);
    }

    long confirmed() {
        return confirmed.get();
    }

    void track(RecordChangeEvent<SourceRecord> event) {
        long position = position(event.record().sourceOffset());
        Pending last = pending.peekLast();
        if (last != null && last.position() == position) {
            pending.pollLast();
        }
        pending.addLast(new Pending(event, position));
    }

    /** Marks every leading record at or before the confirmed LSN, and commits if any was. */
    void markConfirmed(DebeziumEngine.RecordCommitter<RecordChangeEvent<SourceRecord>> committer)
            throws InterruptedException {
        long upTo = confirmed.get();
        boolean marked = false;
        long newest = markedUpTo;
        while (!pending.isEmpty() && Long.compareUnsigned(pending.peekFirst().position(), upTo) <= 0) {
            Pending p = pending.pollFirst();
            committer.markProcessed(p.event());
            newest = Long.compareUnsigned(p.position(), newest) > 0 ? p.position() : newest;
            marked = true;
        }
        if (marked) {
            committer.markBatchFinished();
            markedUpTo = newest;
        }
    }

    static long position(Map<String, ?> offset) {
        Long lsn = longValue(offset, LSN_COMMIT);
        if (lsn == null) {
            lsn = longValue(offset, LSN_PROC);
        }
        if (lsn == null) {
            lsn = longValue(offset, LSN);
        }
        return lsn == null ? 0 : lsn;
    }

    static Long longValue(Map<String, ?> offset, String key) {
        Object v = offset == null ? null : offset.get(key);
        return v instanceof Number n ? n.longValue() : null;
    }
}
