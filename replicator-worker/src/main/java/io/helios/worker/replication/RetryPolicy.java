package io.helios.worker.replication;

import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import io.helios.postgres.error.RetryClassifier;
import io.helios.worker.config.WorkerProperties;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.BooleanSupplier;
import java.util.function.DoubleSupplier;

/**
 * How one replication retries: a Resilience4j {@link Retry} that retries only what the shared
 * {@link RetryClassifier} calls retriable, waits with capped exponential backoff and jitter
 * ({@link #backoff}), and after each wait asks for a fresh heartbeat confirming the lease before
 * the next attempt (a stop or delete on the control plane drops the slot and the checkpoint; a
 * runner that simply reconnected would create them anew). An attempt that streamed for
 * {@code healthyAfter} without error counts as recovered: its failure starts a fresh Resilience4j
 * context, so the backoff starts over instead of continuing where the last outage left it.
 *
 * <p>There is no attempt limit (see {@link WorkerProperties.Retry}). Waits are Resilience4j's
 * interruptible sleeps and the lease check is interruptible too: an interrupt or a requested stop
 * ends {@link #run} with {@link Outcome#STOPPED} and the interrupt flag kept.
 *
 * <p>Threading: {@link #run} runs on the replication's runner thread, one at a time; the
 * listener is called on that thread.
 */
final class RetryPolicy {

    /** One attempt of the replication: connect, prepare, stream until a stop is requested. */
    @FunctionalInterface
    interface Attempt {

        /** @param streaming to call when the attempt starts streaming: its healthy period counts from then */
        void run(Runnable streaming) throws Exception;
    }

    /** Whether the lease is still held, by a heartbeat answer newer than the question. */
    @FunctionalInterface
    interface LeaseCheck {

        boolean confirmed() throws InterruptedException;
    }

    /** Told of each retriable failure, before the wait that follows it. */
    @FunctionalInterface
    interface Listener {

        void retrying(Throwable failure, int attempt, Duration wait);
    }

    /** How {@link #run} ended, when it did not throw a failure that is not retried. */
    enum Outcome {
        /** An attempt returned: the replication stopped cleanly. */
        COMPLETED,
        /** A stop was requested or the thread was interrupted: report nothing more. */
        STOPPED,
        /** After a failure, no heartbeat confirmed the lease: stop without reconnecting. */
        LEASE_UNCONFIRMED
    }

    private final Retry retry;
    private final Duration healthyAfter;
    private final Clock clock;
    private final LeaseCheck lease;
    private final BooleanSupplier stopRequested;
    /** The current run's attempt count (Resilience4j's), fresh after a healthy period; runner thread only. */
    private Retry.Context<Void> context;
    /** When the current attempt started streaming, or null; runner thread only. */
    private Instant streamingSince;

    /**
     * @param random        jitter source, uniform in [0, 1)
     * @param stopRequested whether the runner was asked to stop: a failure then is the stop's doing
     */
    RetryPolicy(String name, WorkerProperties.Retry settings, DoubleSupplier random, Clock clock, LeaseCheck lease,
                BooleanSupplier stopRequested, Listener listener) {
        this.retry = Retry.of(name, RetryConfig.custom()
                .maxAttempts(Integer.MAX_VALUE)
                .intervalFunction(backoff(settings.initialBackoff(), settings.maxBackoff(), random))
                .retryOnException(RetryClassifier::retriable)
                .build());
        this.retry.getEventPublisher().onRetry(e ->
                listener.retrying(e.getLastThrowable(), e.getNumberOfRetryAttempts(), e.getWaitInterval()));
        this.healthyAfter = settings.healthyAfter();
        this.clock = clock;
        this.lease = lease;
        this.stopRequested = stopRequested;
    }

    /**
     * Runs attempts until one returns, a stop is requested, or the lease is not confirmed.
     *
     * @throws Exception the first failure that is not retried, as the attempt threw it
     */
    Outcome run(Attempt attempt) throws Exception {
        context = retry.context();
        while (true) {
            streamingSince = null;
            try {
                attempt.run(() -> streamingSince = clock.instant());
                context.onComplete();
                return Outcome.COMPLETED;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Outcome.STOPPED;
            } catch (Exception e) {
                Outcome ended = afterFailure(e);
                if (ended != null) {
                    return ended;
                }
            }
        }
    }

    /**
     * Resilience4j decides: a failure it does not retry is thrown back, a retriable one is waited
     * out (an interrupted wait rethrows the failure with the interrupt flag set); then the lease.
     *
     * @return how the run ends, or null to make the next attempt
     */
    private Outcome afterFailure(Exception failure) throws Exception {
        if (stopRequested.getAsBoolean()) {
            return Outcome.STOPPED;
        }
        if (recovered()) {
            context = retry.context();
        }
        try {
            context.onError(failure);
        } catch (Exception notRetried) {
            if (Thread.currentThread().isInterrupted() || stopRequested.getAsBoolean()) {
                return Outcome.STOPPED;
            }
            throw notRetried;
        }
        if (stopRequested.getAsBoolean()) {
            return Outcome.STOPPED;
        }
        try {
            return lease.confirmed() ? null : Outcome.LEASE_UNCONFIRMED;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Outcome.STOPPED;
        }
    }

    /** Whether the failed attempt had streamed for the healthy period. */
    private boolean recovered() {
        return streamingSince != null
                && Duration.between(streamingSince, clock.instant()).compareTo(healthyAfter) >= 0;
    }

    /**
     * Exponential backoff capped at {@code max}, with "equal jitter": each wait is between half
     * and all of its step ({@code initial} doubled per attempt, at most {@code max}). Resilience4j's
     * own {@code ofExponentialRandomBackoff} applies the cap after the jitter, so once the steps
     * pass the cap every wait is exactly {@code max}, and workers that lost the same source retry
     * in lockstep through a long outage; here the jitter stays.
     */
    static IntervalFunction backoff(Duration initial, Duration max, DoubleSupplier random) {
        double initialMillis = initial.toMillis();
        double maxMillis = max.toMillis();
        return attempt -> {
            double step = Math.min(maxMillis, initialMillis * Math.pow(2, attempt - 1));
            return Math.max(1, (long) (step / 2 + random.getAsDouble() * step / 2));
        };
    }
}
