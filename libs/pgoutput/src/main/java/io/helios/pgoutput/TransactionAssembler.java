package io.helios.pgoutput;

import io.helios.core.capture.SpillingChangeBuffer;
import io.helios.core.change.Change;
import io.helios.core.change.SourceTransaction;

/**
 * Collects the row changes between a Begin and its Commit into one {@link SourceTransaction}.
 * pgoutput (protocol version 1, no streaming of in-progress transactions) sends each
 * transaction whole, at its commit, so transactions never interleave on the wire. The changes
 * go to a {@link SpillingChangeBuffer}: in memory up to its bound, to a spill file past it.
 *
 * <p>Threading: confined to the reader thread.
 */
final class TransactionAssembler {

    private final SpillingChangeBuffer buffer;
    private PgOutputMessage.Begin begin;
    private long lastBytes;

    TransactionAssembler(SpillingChangeBuffer buffer) {
        this.buffer = buffer;
    }

    /** Whether a Begin has been seen and its Commit not yet. */
    boolean inProgress() {
        return begin != null;
    }

    void begin(PgOutputMessage.Begin message) {
        if (begin != null) {
            throw new IllegalStateException("Begin of xid " + message.xid() + " inside xid " + begin.xid());
        }
        begin = message;
        buffer.begin(message.xid());
    }

    /** Estimated bytes of the transaction being assembled, or of the one just committed. */
    long bytes() {
        return begin != null ? buffer.bytes() : lastBytes;
    }

    void add(Change change) {
        if (begin == null) {
            throw new IllegalStateException("row change outside a transaction");
        }
        buffer.add(change);
    }

    SourceTransaction commit(PgOutputMessage.Commit commit) {
        if (begin == null) {
            throw new IllegalStateException("Commit at " + commit.commitLsn() + " without Begin");
        }
        lastBytes = buffer.bytes();
        SourceTransaction tx = buffer.commit(commit.commitLsn(), commit.endLsn(), commit.commitTime());
        begin = null;
        return tx;
    }

    /** Drops a transaction left unfinished (the stream ended inside it). */
    void discard() {
        begin = null;
        buffer.discard();
    }
}
