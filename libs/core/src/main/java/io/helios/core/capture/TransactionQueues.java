package io.helios.core.capture;

import io.helios.core.change.SourceTransaction;

import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The consumer side shared by capture engines that read on their own thread into a bounded
 * queue: hand out what is queued, and only once the queue is empty rethrow the reader's failure,
 * so that nothing the server already delivered is dropped.
 */
public final class TransactionQueues {

    /** How often a waiting poll looks at the reader's failure. */
    private static final long FAILURE_CHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

    private TransactionQueues() {
    }

    /** The bounded buffer between an engine's reader and its consumer. */
    public static BlockingQueue<SourceTransaction> bounded(int maxBufferedTransactions) {
        if (maxBufferedTransactions < 1) {
            throw new IllegalArgumentException("maxBufferedTransactions must be at least 1");
        }
        return new java.util.concurrent.ArrayBlockingQueue<>(maxBufferedTransactions);
    }

    /**
     * @param failure the reader's failure, or null while it runs
     * @return the next transaction, or null when none came within {@code timeout}
     */
    public static SourceTransaction poll(BlockingQueue<SourceTransaction> queue, Duration timeout,
                                         Supplier<CaptureException> failure) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            SourceTransaction tx = queue.poll(Math.max(0, Math.min(left, FAILURE_CHECK_NANOS)), TimeUnit.NANOSECONDS);
            if (tx != null) {
                return tx;
            }
            CaptureException f = failure.get();
            if (f != null && queue.isEmpty()) {
                throw f;
            }
            if (deadline - System.nanoTime() <= 0) {
                return null;
            }
        }
    }
}
