package io.helios.worker.replication;

import io.github.resilience4j.core.IntervalFunction;
import io.helios.postgres.apply.ConflictException;
import io.helios.postgres.checkpoint.StaleLeaseException;
import io.helios.worker.config.WorkerProperties;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class RetryPolicyTest {

    private static final Duration HEALTHY_AFTER = Duration.ofSeconds(60);

    private final FakeClock clock = new FakeClock();
    private final List<Integer> retries = new CopyOnWriteArrayList<>();
    private final AtomicInteger leaseChecks = new AtomicInteger();
    private final AtomicInteger attempts = new AtomicInteger();
    private volatile boolean leaseHeld = true;
    private volatile boolean stopRequested;
    private RetryPolicy.LeaseCheck lease = () -> {
        leaseChecks.incrementAndGet();
        return leaseHeld;
    };

    private RetryPolicy policy(Duration initialBackoff) {
        return new RetryPolicy("test", new WorkerProperties.Retry(initialBackoff,
                Duration.ofSeconds(30), HEALTHY_AFTER), () -> 0.5, clock, lease, () -> stopRequested,
                (failure, attempt, wait) -> retries.add(attempt));
    }

    /** Plays the given steps, one per attempt. */
    private RetryPolicy.Attempt script(RetryPolicy.Attempt... steps) {
        Deque<RetryPolicy.Attempt> left = new ArrayDeque<>(List.of(steps));
        return streaming -> {
            attempts.incrementAndGet();
            left.removeFirst().run(streaming);
        };
    }

    private static RetryPolicy.Attempt failing(Exception e) {
        return streaming -> {
            throw e;
        };
    }

    private RetryPolicy.Attempt failingAfterStreaming(Duration streamedFor) {
        return streaming -> {
            streaming.run();
            clock.advance(streamedFor);
            throw new SQLException("connection lost", "08006");
        };
    }

    private static final RetryPolicy.Attempt COMPLETES = streaming -> {
    };
    private static final RetryPolicy.Attempt CONNECTION_LOST = failing(new SQLException("connection lost", "08006"));

    @Test
    void retriesRetriableFailuresUntilAnAttemptCompletes() throws Exception {
        RetryPolicy.Outcome outcome = policy(Duration.ofMillis(1)).run(script(CONNECTION_LOST,
                failing(new RuntimeException(new IOException("reset"))), COMPLETES));

        assertThat(outcome).isEqualTo(RetryPolicy.Outcome.COMPLETED);
        assertThat(attempts).hasValue(3);
        assertThat(retries).containsExactly(1, 2);
    }

    @Test
    void eachRetryWaitsForTheLeaseToBeConfirmed() throws Exception {
        policy(Duration.ofMillis(1)).run(script(CONNECTION_LOST, CONNECTION_LOST, COMPLETES));

        assertThat(leaseChecks).hasValue(2);
    }

    @Test
    void failsAtOnceWithWhatRetryingCannotCure() {
        ConflictException diverged = new ConflictException("diverged");
        SQLException syntax = new SQLException("syntax", "42601");
        StaleLeaseException stale = new StaleLeaseException("r", 1);

        for (Exception permanent : List.of(diverged, syntax, stale)) {
            assertThatThrownBy(() -> policy(Duration.ofMillis(1)).run(script(failing(permanent), COMPLETES)))
                    .isSameAs(permanent);
        }
        assertThat(retries).isEmpty();
        assertThat(leaseChecks).hasValue(0);
    }

    @Test
    void stopsWithoutReconnectingWhenTheLeaseIsNotConfirmed() throws Exception {
        leaseHeld = false;

        RetryPolicy.Outcome outcome = policy(Duration.ofMillis(1)).run(script(CONNECTION_LOST, COMPLETES));

        assertThat(outcome).isEqualTo(RetryPolicy.Outcome.LEASE_UNCONFIRMED);
        assertThat(attempts).hasValue(1);
    }

    @Test
    void theAttemptCountStartsOverAfterAHealthyPeriod() throws Exception {
        policy(Duration.ofMillis(1)).run(script(CONNECTION_LOST, CONNECTION_LOST, failingAfterStreaming(HEALTHY_AFTER),
                CONNECTION_LOST, COMPLETES));

        assertThat(retries).containsExactly(1, 2, 1, 2);
    }

    @Test
    void aShorterStreamKeepsCountingAttempts() throws Exception {
        policy(Duration.ofMillis(1)).run(script(CONNECTION_LOST, failingAfterStreaming(HEALTHY_AFTER.minusSeconds(1)),
                CONNECTION_LOST, COMPLETES));

        assertThat(retries).containsExactly(1, 2, 3);
    }

    @Test
    void aFailureAfterAStopRequestIsNotRetried() throws Exception {
        stopRequested = true;

        assertThat(policy(Duration.ofMillis(1)).run(script(CONNECTION_LOST, COMPLETES)))
                .isEqualTo(RetryPolicy.Outcome.STOPPED);
        assertThat(retries).isEmpty();
    }

    @Test
    void anInterruptDuringTheBackoffStopsTheRetriesAndKeepsTheFlag() {
        RetryPolicy policy = policy(Duration.ofMinutes(10));
        Running running = runOnThread(() -> policy.run(script(CONNECTION_LOST, COMPLETES)));

        await().atMost(Duration.ofSeconds(5)).until(() -> !retries.isEmpty());
        running.thread().interrupt();

        await().atMost(Duration.ofSeconds(5)).until(running.done()::isDone);
        assertThat(running.done().join()).isEqualTo(RetryPolicy.Outcome.STOPPED);
        assertThat(running.interruptedFlag()).as("interrupt flag kept").isTrue();
        assertThat(leaseChecks).hasValue(0);
    }

    @Test
    void anInterruptWhileWaitingForTheLeaseStops() {
        CountDownLatch never = new CountDownLatch(1);
        AtomicBoolean asked = new AtomicBoolean();
        lease = () -> {
            asked.set(true);
            never.await();
            return true;
        };
        RetryPolicy policy = policy(Duration.ofMillis(1));
        Running running = runOnThread(() -> policy.run(script(CONNECTION_LOST, COMPLETES)));

        await().atMost(Duration.ofSeconds(5)).untilTrue(asked);
        running.thread().interrupt();

        await().atMost(Duration.ofSeconds(5)).until(running.done()::isDone);
        assertThat(running.done().join()).isEqualTo(RetryPolicy.Outcome.STOPPED);
        assertThat(attempts).hasValue(1);
    }

    @Test
    void backoffDoublesWithJitterUpToTheCap() {
        IntervalFunction least = RetryPolicy.backoff(Duration.ofMillis(500), Duration.ofSeconds(30), () -> 0.0);
        IntervalFunction most = RetryPolicy.backoff(Duration.ofMillis(500), Duration.ofSeconds(30), () -> 0.999_999);

        assertThat(least.apply(1)).isEqualTo(250);
        assertThat(most.apply(1)).isEqualTo(499);
        assertThat(least.apply(2)).isEqualTo(500);
        assertThat(least.apply(7)).as("the step is capped before the jitter").isEqualTo(15_000);
        assertThat(most.apply(7)).isEqualTo(29_999);
        assertThat(least.apply(10_000)).isEqualTo(15_000);
        assertThat(most.apply(10_000)).isLessThanOrEqualTo(30_000);
    }

    /** A run on its own thread, to be interrupted; {@code interruptedFlag} is the thread's flag after the run. */
    private record Running(Thread thread, CompletableFuture<RetryPolicy.Outcome> done, AtomicBoolean interruptedFlag) {
    }

    @FunctionalInterface
    private interface Run {
        RetryPolicy.Outcome run() throws Exception;
    }

    private static Running runOnThread(Run run) {
        CompletableFuture<RetryPolicy.Outcome> done = new CompletableFuture<>();
        AtomicBoolean interrupted = new AtomicBoolean();
        Thread t = new Thread(() -> {
            try {
                RetryPolicy.Outcome o = run.run();
                interrupted.set(Thread.currentThread().isInterrupted());
                done.complete(o);
            } catch (Exception e) {
                done.completeExceptionally(e);
            }
        }, "retry-policy-test");
        t.setDaemon(true);
        t.start();
        return new Running(t, done, interrupted);
    }

    /** A clock the test moves by hand. */
    private static final class FakeClock extends Clock {

        private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-01-01T00:00:00Z"));

        void advance(Duration d) {
            now.updateAndGet(i -> i.plus(d));
        }

        @Override
        public Instant instant() {
            return now.get();
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}
