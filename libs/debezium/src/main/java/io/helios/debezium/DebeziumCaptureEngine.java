package io.helios.debezium;

import io.debezium.embedded.Connect;
import io.debezium.engine.DebeziumEngine;
import io.debezium.engine.RecordChangeEvent;
import io.debezium.engine.format.ChangeEventFormat;
import io.debezium.engine.spi.OffsetCommitPolicy;
import io.helios.core.capture.CaptureEngine;
import io.helios.core.capture.CaptureException;
import io.helios.core.capture.CaptureLimits;
import io.helios.core.capture.TransactionBuffer;
import io.helios.core.capture.SpillingChangeBuffer;
import io.helios.core.capture.TransactionTooLargeException;
import io.helios.core.change.Lsn;
import io.helios.core.change.SourceTransaction;
import io.helios.core.spill.Spills;
import io.helios.postgres.PgEndpoint;
import org.apache.kafka.connect.source.SourceRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A {@link CaptureEngine} on Debezium Embedded (asynchronous engine, PostgreSQL connector,
 * {@code pgoutput} plugin): the reference engine next to the direct {@code pgoutput} one,
 * interchangeable with it on the same slot, since both confirm the same LSNs.
 *
 * <p>The slot and the publication must exist (the worker creates them); the engine checks
 * both and never creates nor drops either. It streams from
 * {@code max(appliedUpTo, slot's confirmed_flush_lsn)} through a {@link SeededOffsetStore};
 * Debezium takes no snapshot. {@link TransactionCollector} assembles whole transactions (whose
 * end LSN it takes from the END transaction record, see there) into a queue bounded by
 * {@code maxBufferedTransactions}; {@link OffsetTracker} lets Debezium flush the slot only up
 * to what {@link #confirm} reported. Values are turned back into PostgreSQL text by
 * {@link PgText}.
 *
 * <p>Threading: Debezium runs on a single-thread executor of this engine
 * ({@code helios-debezium-<slot>}) plus the threads it starts itself; its consumer thread
 * fills the queue. {@link #poll}, {@link #confirm}, {@link #caughtUp} and
 * {@link #serverWalEnd} are for one consumer thread.
 *
 * <p>Lifecycle: NEW -> RUNNING -> CLOSED; close is allowed from any state, waits for Debezium
 * to stop for a bounded time, and the engine cannot be restarted. A Debezium failure is
 * rethrown by {@link #poll} once the transactions queued before it are drained.
 */
public final class DebeziumCaptureEngine implements CaptureEngine {

    enum State { NEW, RUNNING, CLOSED }

    private static final Logger log = LoggerFactory.getLogger(DebeziumCaptureEngine.class);
    private static final long STOP_MILLIS = 15_000;
    /** Heartbeats a clean close waits for Debezium to mark the last confirmed position. */
    private static final int SETTLE_HEARTBEATS = 5;

    private final PgEndpoint source;
    private final String slotName;
    private final String publicationName;
    private final TransactionBuffer queue;
    private final long maxTransactionBytes;
    private final Spills spills;
    private final AtomicReference<State> state = new AtomicReference<>(State.NEW);
    private final ToastPlaceholder toast = new ToastPlaceholder(ToastPlaceholder.DEFAULT);
    private volatile CaptureException failure;
    private volatile TransactionCollector collector;
    private volatile OffsetTracker offsets;
    private DebeziumEngine<RecordChangeEvent<SourceRecord>> engine;
    private ExecutorService executor;
    private SourceCatalog catalog;
    private WalPosition wal;

    public DebeziumCaptureEngine(PgEndpoint source, String slotName, String publicationName,
                                 int maxBufferedTransactions) {
        this(source, slotName, publicationName, CaptureLimits.transactions(maxBufferedTransactions));
    }

    public DebeziumCaptureEngine(PgEndpoint source, String slotName, String publicationName, CaptureLimits limits) {
        this.source = Objects.requireNonNull(source, "source");
        this.slotName = Objects.requireNonNull(slotName, "slotName");
        this.publicationName = Objects.requireNonNull(publicationName, "publicationName");
        this.queue = new TransactionBuffer(limits.bufferedTransactions(), limits.bufferedBytes());
        this.maxTransactionBytes = limits.maxTransactionBytes();
        this.spills = new Spills(limits.spillDirectory());
    }

    /**
     * Checks the slot and the publication, then starts Debezium from the later of
     * {@code appliedUpTo} and the slot's confirmed position.
     *
     * @throws CaptureException when the slot or the publication is missing (not retriable) or
     *                          the source cannot be reached (retriable)
     */
    @Override
    public void start(Lsn appliedUpTo) {
        Objects.requireNonNull(appliedUpTo, "appliedUpTo");
        transition(State.NEW, State.RUNNING);
        Lsn slotFlush;
        try {
            slotFlush = SourceChecks.slotConfirmedFlush(source, slotName, publicationName);
        } catch (CaptureException e) {
            state.set(State.CLOSED);
            throw e;
        }
        Lsn seed = Lsn.max(appliedUpTo, slotFlush);
        offsets = new OffsetTracker(appliedUpTo.value());
        catalog = new SourceCatalog(source);
        wal = new WalPosition(source);
        collector = new TransactionCollector(queue, offsets, new ChangeMapper(catalog, new PgText(toast)),
                appliedUpTo.value(), DebeziumSettings.transactionTopic(slotName),
                new SpillingChangeBuffer(maxTransactionBytes, spills));
        try {
            engine = DebeziumEngine.create(ChangeEventFormat.of(Connect.class))
                    .using(DebeziumSettings.of(source, slotName, publicationName, seed.value(), "helios-" + slotName, toast))
                    .using(OffsetCommitPolicy.always())
                    .using(this::completed)
                    .notifying(collector)
                    .build();
        } catch (RuntimeException e) {
            state.set(State.CLOSED);
            catalog.close();
            throw new CaptureException("cannot configure Debezium for slot " + slotName + ": " + e.getMessage(), e, false);
        }
        executor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "helios-debezium-" + slotName);
            t.setDaemon(true);
            return t;
        });
        executor.execute(engine);
        log.info("Debezium capture of slot {} (publication {}) started from {} (applied up to {})",
                slotName, publicationName, seed, appliedUpTo);
    }

    @Override
    public SourceTransaction poll(Duration timeout) throws InterruptedException {
        requireRunning();
        return queue.poll(timeout, () -> failure);
    }

    /** Recorded here; Debezium flushes it to the slot with its next batch or heartbeat (about 1 s when idle). */
    @Override
    public void confirm(Lsn lsn) {
        OffsetTracker o = offsets;
        if (o != null) {
            o.confirm(lsn.value());
        }
        spills.releaseUpTo(lsn);
    }

    @Override
    public long spilledTransactions() {
        return spills.spilledTransactions();
    }

    /** The server's current WAL position, read at most once a second, or the newest commit seen. */
    @Override
    public Lsn serverWalEnd() {
        TransactionCollector c = collector;
        WalPosition w = wal;
        if (c == null || w == null) {
            return Lsn.ZERO;
        }
        return Lsn.max(w.current(), new Lsn(c.lastEnd()));
    }

    /**
     * Nothing queued, nothing half-read, and a Debezium heartbeat (sent only when the stream
     * had nothing pending) arrived after the last transaction.
     */
    @Override
    public boolean caughtUp() {
        TransactionCollector c = collector;
        return c != null && failure == null && queue.isEmpty() && c.idle();
    }

    /** Stops Debezium (waiting at most about 15 s) and releases the connections. Idempotent. */
    @Override
    public void close() {
        State previous = state.getAndSet(State.CLOSED);
        if (previous == State.CLOSED) {
            return;
        }
        log.info("Debezium capture of slot {}: {} -> {}", slotName, previous, State.CLOSED);
        if (previous == State.RUNNING) {
            awaitSettled();
            collector.close();
            EngineStopper.stop(engine, executor, slotName, STOP_MILLIS);
            catalog.close();
            wal.close();
        }
        queue.clear();
        spills.close();
    }

    /**
     * On a clean close, gives Debezium up to five heartbeats to mark what the consumer confirmed
     * last: it commits (and so confirms to the slot) only positions carried by records it has
     * seen, and the one past the last transaction arrives with the next heartbeat, which a busy
     * machine may deliver late. Without this a pause would leave the slot one group behind, and
     * the next run would be sent it again (the applier skips it: nothing is applied twice).
     */
    private void awaitSettled() {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(SETTLE_HEARTBEATS * DebeziumSettings.HEARTBEAT_MILLIS);
        while (failure == null && !offsets.settled() && System.nanoTime() < deadline
                && !Thread.currentThread().isInterrupted()) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
        if (failure == null && !offsets.settled()) {
            log.info("Debezium capture of slot {} closes before marking the last confirmed position;"
                    + " the next run skips what it is sent again", slotName);
        }
    }

    private void completed(boolean success, String message, Throwable error) {
        if (state.get() == State.CLOSED) {
            log.debug("Debezium engine of slot {} stopped: {}", slotName, message);
            return;
        }
        String what = "Debezium capture of slot " + slotName + " stopped: " + message;
        TransactionTooLargeException tooLarge = tooLarge(error);
        failure = tooLarge != null ? tooLarge
                : error == null ? new CaptureException(what, null, true) : SourceChecks.classify(what, error);
        log.warn("{} (retriable: {})", what, failure.retriable(), error);
    }

    private static TransactionTooLargeException tooLarge(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof TransactionTooLargeException e) {
                return e;
            }
        }
        return null;
    }

    private void requireRunning() {
        State s = state.get();
        if (s != State.RUNNING) {
            throw new IllegalStateException("capture of slot " + slotName + " is " + s + ", not RUNNING");
        }
    }

    private void transition(State from, State to) {
        if (!state.compareAndSet(from, to)) {
            throw new IllegalStateException("capture of slot " + slotName + " cannot go from " + state.get() + " to " + to);
        }
        log.info("Debezium capture of slot {}: {} -> {}", slotName, from, to);
    }
}
