package io.helios.worker.replication;

import io.helios.core.capture.CaptureEngine;
import io.helios.core.change.Change;
import io.helios.core.change.Column;
import io.helios.core.change.Lsn;
import io.helios.core.change.Relation;
import io.helios.core.change.RowImage;
import io.helios.core.change.SourceTransaction;
import io.helios.core.change.TableId;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * A capture engine that hands out prepared transactions, as if they had all already arrived: a
 * fake for the shape of a stream, not a stand-in for PostgreSQL. Each poll may advance a fake
 * clock, to play a stream that keeps the applier busy. Single-threaded, like the consumer side of
 * a real engine.
 */
final class FakeCaptureEngine implements CaptureEngine {

    private static final Relation T = new Relation(1, new TableId("s", "t"),
            List.of(new Column("id", 20, -1, true), new Column("v", 25, -1, false)), 'd');

    private final Deque<SourceTransaction> arrived = new ArrayDeque<>();
    private final List<Duration> polls = new ArrayList<>();
    private long nanos;
    private long nanosPerPoll;
    private long nextLsn = 100;

    /** Makes each poll take this long on {@link #nanoTime()}. */
    FakeCaptureEngine pollsTaking(Duration d) {
        nanosPerPoll = d.toNanos();
        return this;
    }

    /** Queues a transaction of {@code rows} inserts and the given estimated size. */
    SourceTransaction arrive(int rows, long bytes) {
        List<Change> changes = new ArrayList<>();
        for (int i = 0; i < rows; i++) {
            changes.add(Change.insert(T, RowImage.of(Long.toString(nextLsn + i), "v")));
        }
        SourceTransaction tx = new SourceTransaction(nextLsn, new Lsn(nextLsn), new Lsn(nextLsn + 1), Instant.EPOCH,
                changes, bytes);
        nextLsn += 10;
        arrived.addLast(tx);
        return tx;
    }

    SourceTransaction arrive(int rows) {
        return arrive(rows, 100L * rows);
    }

    /** Queues a transaction of {@code rows} inserts that spilled to a file under {@code spillRoot}. */
    SourceTransaction arriveSpilled(int rows, java.nio.file.Path spillRoot) {
        io.helios.core.capture.SpillingChangeBuffer buffer =
                new io.helios.core.capture.SpillingChangeBuffer(1, new io.helios.core.spill.Spills(spillRoot));
        buffer.begin(nextLsn);
        for (int i = 0; i < rows; i++) {
            buffer.add(Change.insert(T, RowImage.of(Long.toString(nextLsn + i), "v")));
        }
        SourceTransaction tx = buffer.commit(new Lsn(nextLsn), new Lsn(nextLsn + 1), Instant.EPOCH);
        nextLsn += 10;
        arrived.addLast(tx);
        return tx;
    }

    /** The fake clock the collector under test reads. */
    long nanoTime() {
        return nanos;
    }

    /** The timeout of every poll so far. */
    List<Duration> polls() {
        return polls;
    }

    @Override
    public void start(Lsn appliedUpTo) {
    }

    @Override
    public SourceTransaction poll(Duration timeout) {
        polls.add(timeout);
        nanos += nanosPerPoll;
        return arrived.pollFirst();
    }

    @Override
    public void confirm(Lsn lsn) {
    }

    @Override
    public Lsn serverWalEnd() {
        return Lsn.ZERO;
    }

    @Override
    public boolean caughtUp() {
        return arrived.isEmpty();
    }

    @Override
    public void close() {
    }
}
