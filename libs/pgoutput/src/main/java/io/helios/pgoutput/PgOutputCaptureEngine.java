package io.helios.pgoutput;

import io.helios.core.capture.CaptureEngine;
import io.helios.core.capture.CaptureException;
import io.helios.core.capture.CaptureLimits;
import io.helios.core.capture.SpillingChangeBuffer;
import io.helios.core.capture.TransactionBuffer;
import io.helios.core.change.Lsn;
import io.helios.core.change.SourceTransaction;
import io.helios.core.change.TableId;
import io.helios.core.spill.Spills;
import io.helios.postgres.PgEndpoint;
import org.postgresql.PGConnection;
import org.postgresql.replication.LogSequenceNumber;
import org.postgresql.replication.PGReplicationStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A {@link CaptureEngine} that reads {@code pgoutput} (protocol version 1) straight from a
 * logical replication slot through pgjdbc's replication API, without Debezium.
 *
 * <p>Threading: {@link #start} opens the walsender connection and hands it to a daemon reader
 * thread named {@code helios-capture-<slot>}, the only thread that touches it. The reader
 * assembles whole transactions into a {@link TransactionBuffer} bounded in transactions and
 * bytes, so a slow consumer back-pressures the server. {@link #poll}, {@link #confirm}, {@link #caughtUp}
 * and {@link #serverWalEnd} are for one consumer thread; {@link #confirm} only records the
 * LSN, and the reader reports it to the server (within about 20 ms). The driver's automatic
 * flush is off: every flushed position the server hears (status updates on the interval, replies
 * to keepalives, forced updates) is one the consumer confirmed, i.e. one the target holds. When
 * everything delivered is confirmed and nothing is half-read, the engine offers the server's
 * position from its keepalives as {@link #idleUpTo()}; the consumer records it on the target and
 * then confirms it, so an idle or fully filtered-out tenant holds no WAL.
 * A transaction larger than {@link CaptureLimits#maxTransactionBytes()} spills to disk while it
 * is read and is delivered whole as a spilled transaction; its file is deleted once confirmed,
 * or when the engine closes.
 *
 * <p>Lifecycle: NEW -> RUNNING -> CLOSED (close is allowed from any state). A stream failure
 * is rethrown by {@link #poll} once the transactions queued before it are drained, as a
 * {@link CaptureException} that says whether reconnecting may help. An engine is not
 * restartable: after a failure, close it and start a new one from the applied LSN.
 */
public final class PgOutputCaptureEngine implements CaptureEngine {

    enum State { NEW, RUNNING, CLOSED }

    private static final Logger log = LoggerFactory.getLogger(PgOutputCaptureEngine.class);
    private static final long JOIN_MILLIS = 5_000;

    private final PgEndpoint source;
    private final String slotName;
    private final String publicationName;
    private final TransactionBuffer queue;
    private final long maxTransactionBytes;
    private final Spills spills;
    private final AtomicLong confirmed = new AtomicLong();
    private final AtomicReference<State> state = new AtomicReference<>(State.NEW);
    private volatile CaptureReader reader;
    private volatile Thread thread;

    public PgOutputCaptureEngine(PgEndpoint source, String slotName, String publicationName,
                                 int maxBufferedTransactions) {
        this(source, slotName, publicationName, CaptureLimits.transactions(maxBufferedTransactions));
    }

    public PgOutputCaptureEngine(PgEndpoint source, String slotName, String publicationName, CaptureLimits limits) {
        this.source = Objects.requireNonNull(source, "source");
        this.slotName = Objects.requireNonNull(slotName, "slotName");
        this.publicationName = Objects.requireNonNull(publicationName, "publicationName");
        this.maxTransactionBytes = limits.maxTransactionBytes();
        this.spills = new Spills(limits.spillDirectory());
        this.queue = new TransactionBuffer(limits.bufferedTransactions(), limits.bufferedBytes());
    }

    /**
     * Opens the stream from the slot and starts the reader thread.
     *
     * @throws CaptureException when the connection or the stream cannot be opened (for
     *                          example a missing slot, which is not retriable)
     */
    @Override
    public void start(Lsn appliedUpTo) {
        Objects.requireNonNull(appliedUpTo, "appliedUpTo");
        transition(State.NEW, State.RUNNING);
        confirmed.set(appliedUpTo.value());
        Connection connection = null;
        try {
            connection = source.openReplication();
            PGReplicationStream stream = openStream(connection, appliedUpTo);
            CaptureReader r = new CaptureReader(slotName, connection, stream, queue, confirmed, appliedUpTo.value(),
                    new SpillingChangeBuffer(maxTransactionBytes, spills));
            Thread t = new Thread(r, "helios-capture-" + slotName);
            t.setDaemon(true);
            reader = r;
            thread = t;
            t.start();
            log.info("capture of slot {} (publication {}) started after {}", slotName, publicationName, appliedUpTo);
        } catch (SQLException e) {
            closeQuietly(connection);
            state.set(State.CLOSED);
            throw CaptureErrors.classify("cannot stream from slot " + slotName + " on " + source, e);
        }
    }

    @Override
    public SourceTransaction poll(Duration timeout) throws InterruptedException {
        CaptureReader r = runningReader();
        return queue.poll(timeout, r::failure);
    }

    @Override
    public void confirm(Lsn lsn) {
        long value = lsn.value();
        confirmed.accumulateAndGet(value, (a, b) -> Long.compareUnsigned(a, b) >= 0 ? a : b);
        spills.releaseUpTo(lsn);
    }

    @Override
    public long spilledTransactions() {
        return spills.spilledTransactions();
    }

    @Override
    public Lsn serverWalEnd() {
        CaptureReader r = reader;
        return r == null ? Lsn.ZERO : new Lsn(r.serverWalEnd());
    }

    @Override
    public Lsn idleUpTo() {
        CaptureReader r = reader;
        long at = r == null ? 0 : r.idleUpTo();
        return at == 0 ? null : new Lsn(at);
    }

    @Override
    public boolean caughtUp() {
        CaptureReader r = reader;
        return r != null && r.failure() == null && !r.assembling() && queue.isEmpty();
    }

    /** Stops the reader thread (waiting at most 5 s) and closes the connection. Idempotent. */
    @Override
    public void close() {
        State previous = state.getAndSet(State.CLOSED);
        if (previous == State.CLOSED) {
            return;
        }
        log.info("capture of slot {}: {} -> {}", slotName, previous, State.CLOSED);
        CaptureReader r = reader;
        Thread t = thread;
        if (r == null || t == null) {
            spills.close();
            return;
        }
        r.stop();
        try {
            t.join(JOIN_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (t.isAlive()) {
            log.warn("capture reader of slot {} did not stop within {} ms; aborting its connection",
                    slotName, JOIN_MILLIS);
            r.abort();
            t.interrupt();
        }
        queue.clear();
        spills.close();
    }

    private PGReplicationStream openStream(Connection connection, Lsn appliedUpTo) throws SQLException {
        return connection.unwrap(PGConnection.class).getReplicationAPI()
                .replicationStream()
                .logical()
                .withSlotName(slotName)
                .withSlotOption("proto_version", 1)
                .withSlotOption("publication_names", TableId.quote(publicationName))
                .withStartPosition(LogSequenceNumber.valueOf(appliedUpTo.value()))
                .withStatusInterval(1, TimeUnit.SECONDS)
                // the driver would otherwise confirm a keepalive's server position on its own, past
                // transactions still in this engine's queue or half-read; it now reports only what
                // the reader set from confirm() (and still answers keepalives that ask for a reply)
                .withAutomaticFlush(false)
                .start();
    }

    private CaptureReader runningReader() {
        State s = state.get();
        if (s != State.RUNNING) {
            throw new IllegalStateException("capture of slot " + slotName + " is " + s + ", not RUNNING");
        }
        return reader;
    }

    private void transition(State from, State to) {
        if (!state.compareAndSet(from, to)) {
            throw new IllegalStateException("capture of slot " + slotName + " cannot go from "
                    + state.get() + " to " + to);
        }
        log.info("capture of slot {}: {} -> {}", slotName, from, to);
    }

    private static void closeQuietly(Connection connection) {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException e) {
                log.debug("closing a failed replication connection: {}", e.getMessage());
            }
        }
    }
}
