package io.helios.core.capture;

import io.helios.core.change.Lsn;
import io.helios.core.change.SourceTransaction;

import java.time.Duration;

/**
 * Reads one replication's committed source transactions, whole and in commit order, from a
 * replication slot.
 *
 * <p>Lifecycle: {@link #start(Lsn)} once, then any number of {@link #poll}/{@link #confirm}
 * calls from one consumer thread, then {@link #close()}. Implementations read the server on
 * their own thread into a bounded buffer, so a slow applier back-pressures the stream. A
 * failure of the stream is rethrown by the next {@link #poll} as a {@link CaptureException}.
 */
public interface CaptureEngine extends AutoCloseable {

    /**
     * Opens the stream. Transactions whose {@link SourceTransaction#endLsn()} is at or before
     * {@code appliedUpTo} are already on the target and are never delivered.
     */
    void start(Lsn appliedUpTo);

    /** The next whole transaction, waiting at most {@code timeout}; {@code null} when none came. */
    SourceTransaction poll(Duration timeout) throws InterruptedException;

    /**
     * Everything up to {@code lsn} is durably applied: the server may release the WAL behind it.
     * The engine never confirms more than it was told, so the slot never passes the target's
     * checkpoint (a resume refuses a slot that did).
     */
    void confirm(Lsn lsn);

    /**
     * A source position past which nothing is in flight: every transaction ending at or before it
     * was delivered and confirmed (the rest of the WAL up to it held nothing for the tenant).
     * The consumer may record it as its checkpoint and then {@link #confirm} it, so an idle or
     * filtered-out tenant holds no WAL. {@code null} when the engine offers none.
     */
    default Lsn idleUpTo() {
        return null;
    }

    /** The newest server WAL position the engine has heard of, for lag in bytes. */
    Lsn serverWalEnd();

    /** Whether every transaction the server sent has been handed out by {@link #poll}. */
    boolean caughtUp();

    /**
     * Transactions larger than the in-memory bound that this engine spilled to disk (and delivered
     * whole, see {@link SourceTransaction#spilled()}) since it started.
     */
    default long spilledTransactions() {
        return 0;
    }

    @Override
    void close();
}
