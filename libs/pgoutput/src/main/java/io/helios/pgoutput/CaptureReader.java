package io.helios.pgoutput;

import io.helios.core.capture.CaptureException;
import io.helios.core.capture.SpillingChangeBuffer;
import io.helios.core.capture.TransactionBuffer;
import io.helios.core.change.SourceTransaction;
import org.postgresql.replication.LogSequenceNumber;
import org.postgresql.replication.PGReplicationStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The reader loop of one {@link PgOutputCaptureEngine}: reads the replication stream,
 * decodes it, assembles whole transactions into the bounded queue, and reports flushed
 * positions to the server.
 *
 * <p>Threading: {@link #run()} runs on the engine's reader thread, the only thread that
 * touches the pgjdbc connection and stream (they are not thread-safe). The consumer talks to
 * it through the queue, the {@code confirmed} LSN it only writes, and the volatile fields it
 * only reads ({@link #failure()}, {@link #assembling()}, {@link #serverWalEnd()}, {@link #idleUpTo()}).
 *
 * <p>Lifecycle: runs until {@link #stop()} or a failure; either way it closes the stream and
 * the connection on its way out. A failure is kept for the consumer's next poll.
 */
final class CaptureReader implements Runnable {

    private static final Logger log = LoggerFactory.getLogger(CaptureReader.class);
    /** How long a confirmed position may wait before it is pushed to the server. */
    private static final long FORCED_STATUS_SPACING_NANOS = TimeUnit.MILLISECONDS.toNanos(20);
    /** Status interval while the queue is full and the stream is not read. */
    private static final long BLOCKED_STATUS_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(1);
    /**
     * Sleep when the socket has nothing buffered. Each empty poll costs system calls on a core
     * the walsender and the target share, so the reader sleeps long enough for the socket buffer
     * to gather a useful batch (about 100 rows at full speed), short enough to add at most a
     * millisecond to lag.
     */
    private static final long IDLE_PARK_NANOS = 1_000_000;
    /**
     * Sleep once the stream has been quiet for {@link #QUIET_POLLS} polls (about 0.2 s): an idle
     * tenant's reader then wakes 100 times a second instead of 500, which matters for a worker
     * running many replications; the first change after a quiet spell waits at most 10 ms more.
     */
    private static final long QUIET_PARK_NANOS = 10_000_000;
    private static final int QUIET_POLLS = 100;
    /** Messages handled between two progress reports while the stream never runs dry. */
    private static final int REPORT_EVERY_MESSAGES = 256;
    private static final long OFFER_WAIT_MILLIS = 100;

    private final String slot;
    private final Connection connection;
    private final PGReplicationStream stream;
    private final TransactionBuffer queue;
    private final AtomicLong confirmed;
    private final long appliedUpTo;
    private final PgOutputDecoder decoder = new PgOutputDecoder();
    private final TransactionAssembler assembler;

    private volatile boolean running = true;
    private volatile boolean assembling;
    private volatile long serverWalEnd;
    private volatile long idleUpTo;
    private volatile CaptureException failure;

    private long lastEnqueuedEnd;
    private long flushedSent;
    private boolean statusPending;
    private long lastStatusNanos;

    CaptureReader(String slot, Connection connection, PGReplicationStream stream,
                  TransactionBuffer queue, AtomicLong confirmed, long appliedUpTo, SpillingChangeBuffer changes) {
        this.assembler = new TransactionAssembler(changes);
        this.slot = slot;
        this.connection = connection;
        this.stream = stream;
        this.queue = queue;
        this.confirmed = confirmed;
        this.appliedUpTo = appliedUpTo;
        this.flushedSent = 0;
        this.lastStatusNanos = System.nanoTime();
    }

    @Override
    public void run() {
        try {
            loop();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            fail(new CaptureException("capture reader of slot " + slot + " interrupted", e, true));
        } catch (SQLException e) {
            fail(CaptureErrors.classify("replication stream of slot " + slot + " failed", e));
        } catch (CaptureException e) {
            fail(e);
        } catch (RuntimeException e) {
            fail(new CaptureException("cannot decode the stream of slot " + slot + ": " + e.getMessage(), e, false));
        } finally {
            if (running) {
                // left by an Error: the consumer must not wait for a stream that is gone
                fail(new CaptureException("capture reader of slot " + slot + " ended unexpectedly", null, false));
            }
            assembler.discard();
            closeQuietly();
        }
    }

    /** Asks the loop to end; the thread closes the stream and connection as it leaves. */
    void stop() {
        running = false;
    }

    /**
     * Closes the socket from another thread, for a reader stuck in I/O past the close deadline
     * ({@link Connection#abort} is the one call JDBC allows across threads).
     */
    void abort() {
        running = false;
        try {
            connection.abort(Runnable::run);
        } catch (SQLException e) {
            log.debug("aborting the replication connection of slot {}: {}", slot, e.getMessage());
        }
    }

    CaptureException failure() {
        return failure;
    }

    /** Whether a transaction has begun on the wire and not yet been queued. */
    boolean assembling() {
        return assembling;
    }

    long serverWalEnd() {
        return serverWalEnd;
    }

    /**
     * The newest server position seen while nothing was in flight (every delivered transaction
     * confirmed, none half-read, the queue empty): every source transaction ending at or before it
     * is on the target, so the consumer may record it there and then confirm it. 0 when never.
     */
    long idleUpTo() {
        return idleUpTo;
    }

    private void loop() throws SQLException, InterruptedException {
        int sinceReport = 0;
        int emptyPolls = 0;
        while (running) {
            ByteBuffer message = stream.readPending();
            if (message != null) {
                emptyPolls = 0;
                handle(message);
                if (++sinceReport < REPORT_EVERY_MESSAGES) {
                    continue;
                }
            }
            sinceReport = 0;
            noteServerPosition();
            reportProgress();
            if (message == null) {
                LockSupport.parkNanos(++emptyPolls > QUIET_POLLS ? QUIET_PARK_NANOS : IDLE_PARK_NANOS);
            }
        }
    }

    private void handle(ByteBuffer buffer) throws SQLException, InterruptedException {
        PgOutputMessage message = decoder.decode(buffer);
        if (message instanceof PgOutputMessage.RowChange row) {
            assembler.add(row.change());
        } else if (message instanceof PgOutputMessage.Begin begin) {
            assembling = true;
            assembler.begin(begin);
        } else if (message instanceof PgOutputMessage.Commit commit) {
            SourceTransaction tx = assembler.commit(commit);
            deliver(tx, assembler.bytes());
            assembling = false;
        }
    }

    /**
     * Queues a whole transaction, waiting while the queue is full (backpressure). Empty
     * transactions (every row filtered out) and those already applied are dropped (a spilled
     * one's file with them); idle release confirms past them. A spilled transaction counts in
     * the queue's byte bound with the size it was counted at, as if it were in memory, so it
     * enters only an empty queue: that bounds the disk its files take, not only the memory.
     */
    private void deliver(SourceTransaction tx, long bytes) throws SQLException, InterruptedException {
        long end = tx.endLsn().value();
        if (tx.rowCount() == 0 || Long.compareUnsigned(end, appliedUpTo) <= 0) {
            if (tx.spilled() != null) {
                tx.spilled().close();
            }
            return;
        }
        while (!queue.offer(tx, bytes, OFFER_WAIT_MILLIS, TimeUnit.MILLISECONDS)) {
            if (!running) {
                return;
            }
            reportProgress();
            if (System.nanoTime() - lastStatusNanos >= BLOCKED_STATUS_INTERVAL_NANOS) {
                // the stream is not read while blocked, so pgjdbc sends no status on its own
                forceStatus();
            }
        }
        lastEnqueuedEnd = end;
    }

    private void noteServerPosition() {
        long received = stream.getLastReceiveLSN().asLong();
        if (Long.compareUnsigned(received, serverWalEnd) > 0) {
            serverWalEnd = received;
        }
    }

    /**
     * Passes the consumer's confirmed LSN to the server, never more: the consumer confirms only
     * what the target holds. When nothing is in flight (all delivered transactions confirmed,
     * none half-read), it offers the server's position as {@link #idleUpTo()} instead, which the
     * consumer records on the target before it confirms it, so an idle or filtered-out tenant
     * holds no WAL and the slot is never confirmed past the target's checkpoint.
     */
    private void reportProgress() throws SQLException {
        long target = confirmed.get();
        if (idle(target)) {
            long position = stream.getLastReceiveLSN().asLong();
            if (Long.compareUnsigned(position, idleUpTo) > 0) {
                idleUpTo = position;
            }
        }
        if (Long.compareUnsigned(target, flushedSent) > 0) {
            LogSequenceNumber lsn = LogSequenceNumber.valueOf(target);
            stream.setFlushedLSN(lsn);
            stream.setAppliedLSN(lsn);
            flushedSent = target;
            statusPending = true;
        }
        if (statusPending && System.nanoTime() - lastStatusNanos >= FORCED_STATUS_SPACING_NANOS) {
            forceStatus();
        }
    }

    private boolean idle(long confirmedLsn) {
        return !assembler.inProgress() && queue.isEmpty()
                && Long.compareUnsigned(confirmedLsn, lastEnqueuedEnd) >= 0;
    }

    private void forceStatus() throws SQLException {
        stream.forceUpdateStatus();
        statusPending = false;
        lastStatusNanos = System.nanoTime();
    }

    private void fail(CaptureException e) {
        if (running) {
            failure = e;
            log.warn("capture of slot {} failed (retriable: {}): {}", slot, e.retriable(), e.getMessage());
        }
        running = false;
    }

    /**
     * Sends the last confirmed position on a clean stop, then closes the connection without
     * ending the COPY first: ending it would drain whatever backlog the server is still sending.
     */
    private void closeQuietly() {
        if (failure == null) {
            try {
                reportProgress();
                forceStatus();
            } catch (SQLException e) {
                log.debug("final status of slot {} not sent: {}", slot, e.getMessage());
            }
        }
        try {
            connection.close();
        } catch (SQLException e) {
            log.debug("closing the replication connection of slot {}: {}", slot, e.getMessage());
        }
    }
}
