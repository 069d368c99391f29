package io.helios.pgoutput;

import io.helios.core.capture.TransactionTooLargeException;
import io.helios.core.change.Change;
import io.helios.core.change.SourceTransaction;

import java.util.ArrayList;
import java.util.List;

/**
 * Collects the row changes between a Begin and its Commit into one {@link SourceTransaction}.
 * pgoutput (protocol version 1, no streaming of in-progress transactions) sends each
 * transaction whole, at its commit, so transactions never interleave on the wire.
 *
 * <p>Threading: confined to the reader thread.
 */
final class TransactionAssembler {

    private PgOutputMessage.Begin begin;
    /** Reused: {@link SourceTransaction} copies the list it is given. */
    private final List<Change> changes = new ArrayList<>();
    private final long maxBytes;
    private long bytes;

    /** @param maxBytes largest transaction, in estimated bytes of row data, assembled before it fails */
    TransactionAssembler(long maxBytes) {
        this.maxBytes = maxBytes;
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
        bytes = 0;
    }

    /** Estimated bytes of the transaction being assembled, or of the one just committed. */
    long bytes() {
        return bytes;
    }

    void add(Change change) {
        if (begin == null) {
            throw new IllegalStateException("row change outside a transaction");
        }
        bytes += change.estimatedBytes();
        if (bytes > maxBytes) {
            throw new TransactionTooLargeException(begin.xid(), maxBytes);
        }
        changes.add(change);
    }

    SourceTransaction commit(PgOutputMessage.Commit commit) {
        if (begin == null) {
            throw new IllegalStateException("Commit at " + commit.commitLsn() + " without Begin");
        }
        SourceTransaction tx = new SourceTransaction(begin.xid(), commit.commitLsn(), commit.endLsn(),
                commit.commitTime(), changes, bytes);
        begin = null;
        changes.clear();
        return tx;
    }
}
