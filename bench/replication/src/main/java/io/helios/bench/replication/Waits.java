package io.helios.bench.replication;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/** Bounded waits for a condition or a counter, polled; each fails with a message saying what was not reached. */
final class Waits {

    private Waits() {
    }

    /**
     * Nanoseconds until {@code counter} first moves from where it was, and until it reaches
     * {@code expected}, polled every 20 ms: the first figure is the system's start-up (connect,
     * decode up to the backlog), the second its whole catch-up. {@code what} names the counter in
     * the failure after {@code limit}.
     */
    static long[] progress(String what, long expected, LongSupplier counter, Duration limit) throws InterruptedException {
        long start = System.nanoTime();
        long deadline = start + limit.toNanos();
        long initial = counter.getAsLong();
        long firstMove = -1;
        long now;
        while (true) {
            long value = counter.getAsLong();
            now = System.nanoTime();
            if (firstMove < 0 && value != initial) {
                firstMove = now - start;
            }
            if (value >= expected) {
                break;
            }
            if (now > deadline) {
                throw new IllegalStateException(what + " not caught up within " + limit.toSeconds() + " s: at " + value
                        + " of " + expected + " (raise -Dwait.limit.seconds, or lower the load)");
            }
            Thread.sleep(20);
        }
        return new long[]{firstMove < 0 ? now - start : firstMove, now - start};
    }

    static void condition(Duration limit, BooleanSupplier ok, Supplier<String> why) {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!ok.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(why.get());
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting: " + why.get(), e);
            }
        }
    }
}
