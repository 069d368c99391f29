package io.helios.core.capture;

import io.helios.core.change.Change;
import io.helios.core.change.SourceTransaction;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * The buffer between a capture engine's reader thread and its consumer (the applier), bounded
 * both in transactions and in the estimated bytes they hold.
 *
 * <p>Why bytes: a bound in transactions alone lets a backlog of large transactions hold
 * gigabytes. Why small: when the applier is the slower side, a full buffer stops the reader,
 * the reader stops reading the socket, and the server's sends then queue in its own socket
 * buffer instead of each leaving as a separate segment to a reader that keeps the window open;
 * that is most of the CPU a walsender spends sending during a catch-up (see design.md, "Catch-up
 * throughput"). A transaction larger than the byte bound is admitted when the buffer is empty,
 * so a single huge transaction still passes whole.
 *
 * <p>Threading: one producer (the reader) and one consumer; {@link #clear()} may come from any
 * thread.
 */
public final class TransactionBuffer {

    /** Default byte bound: a few thousand small rows (see design.md, "Catch-up throughput", for how it was chosen). */
    public static final long DEFAULT_MAX_BYTES = 1L << 20;
    /** How often a waiting {@link #poll(Duration, Supplier)} looks at the reader's failure. */
    private static final long FAILURE_CHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

    private record Entry(SourceTransaction tx, long bytes) {
    }

    private final int maxTransactions;
    private final long maxBytes;
    private final ArrayDeque<Entry> entries = new ArrayDeque<>();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition notEmpty = lock.newCondition();
    private final Condition notFull = lock.newCondition();
    private long bytes;

    public TransactionBuffer(int maxTransactions, long maxBytes) {
        if (maxTransactions < 1) {
            throw new IllegalArgumentException("maxTransactions must be at least 1, was " + maxTransactions);
        }
        if (maxBytes < 1) {
            throw new IllegalArgumentException("maxBytes must be at least 1, was " + maxBytes);
        }
        this.maxTransactions = maxTransactions;
        this.maxBytes = maxBytes;
    }

    /**
     * Adds the transaction, waiting up to {@code timeout} for room.
     *
     * @param size what the transaction holds, as its reader counted it while assembling it (the sum
     *             of its changes' {@link Change#estimatedBytes()})
     * @return false when there was no room within the timeout
     */
    public boolean offer(SourceTransaction tx, long size, long timeout, TimeUnit unit) throws InterruptedException {
        long nanos = unit.toNanos(timeout);
        lock.lockInterruptibly();
        try {
            while (!entries.isEmpty() && (entries.size() >= maxTransactions || bytes + size > maxBytes)) {
                if (nanos <= 0) {
                    return false;
                }
                nanos = notFull.awaitNanos(nanos);
            }
            entries.addLast(new Entry(tx, size));
            bytes += size;
            notEmpty.signal();
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** The oldest transaction, waiting up to {@code timeout}; null when none came. */
    public SourceTransaction poll(long timeout, TimeUnit unit) throws InterruptedException {
        long nanos = unit.toNanos(timeout);
        lock.lockInterruptibly();
        try {
            while (entries.isEmpty()) {
                if (nanos <= 0) {
                    return null;
                }
                nanos = notEmpty.awaitNanos(nanos);
            }
            Entry e = entries.removeFirst();
            bytes -= e.bytes();
            notFull.signal();
            return e.tx();
        } finally {
            lock.unlock();
        }
    }

    /**
     * The consumer's poll: hands out what is queued, and only once the buffer is empty rethrows
     * the reader's failure, so nothing the server already delivered is dropped.
     *
     * @param failure the reader's failure, or null while it runs
     * @return the next transaction, or null when none came within {@code timeout}
     */
    public SourceTransaction poll(Duration timeout, Supplier<CaptureException> failure) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            SourceTransaction tx = poll(Math.max(0, Math.min(left, FAILURE_CHECK_NANOS)), TimeUnit.NANOSECONDS);
            if (tx != null) {
                return tx;
            }
            CaptureException f = failure.get();
            if (f != null && isEmpty()) {
                throw f;
            }
            if (deadline - System.nanoTime() <= 0) {
                return null;
            }
        }
    }

    public boolean isEmpty() {
        lock.lock();
        try {
            return entries.isEmpty();
        } finally {
            lock.unlock();
        }
    }

    public int size() {
        lock.lock();
        try {
            return entries.size();
        } finally {
            lock.unlock();
        }
    }

    /** Estimated bytes held now. */
    public long bytes() {
        lock.lock();
        try {
            return bytes;
        } finally {
            lock.unlock();
        }
    }

    public void clear() {
        lock.lock();
        try {
            entries.clear();
            bytes = 0;
            notFull.signalAll();
        } finally {
            lock.unlock();
        }
    }
}
