package io.helios.core.capture;

import io.helios.core.change.Change;
import io.helios.core.change.Lsn;
import io.helios.core.change.SourceTransaction;
import io.helios.core.spill.SpillWriter;
import io.helios.core.spill.SpilledChanges;
import io.helios.core.spill.Spills;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Collects the changes of the source transaction being assembled, in memory up to a bound
 * ({@link CaptureLimits#maxTransactionBytes()}), and past it in a spill file ({@link Spills}):
 * the transaction so far goes to disk and the rest follows it there, so memory stays bounded
 * whatever the transaction's size. {@link #commit} hands out the whole transaction, its changes
 * in memory or, when it spilled, as {@link SourceTransaction#spilled()}. Both capture engines
 * assemble through it.
 *
 * <p>Not thread-safe: confined to the engine's reader (or Debezium consumer) thread.
 */
public final class SpillingChangeBuffer {

    private final long memoryBytes;
    private final Spills spills;
    /** Reused: {@link SourceTransaction} copies the list it is given. */
    private final List<Change> changes = new ArrayList<>();
    private long bytes;
    private long xid;
    private SpillWriter writer;

    public SpillingChangeBuffer(long memoryBytes, Spills spills) {
        this.memoryBytes = memoryBytes;
        this.spills = spills;
    }

    /** Starts a transaction, dropping whatever an unfinished one left. */
    public void begin(long xid) {
        discard();
        this.xid = xid;
    }

    public void add(Change change) {
        bytes += change.estimatedBytes();
        try {
            if (writer == null && bytes > memoryBytes) {
                writer = spills.newWriter();
                for (Change held : changes) {
                    writer.add(held);
                }
                changes.clear();
            }
            if (writer != null) {
                writer.add(change);
            } else {
                changes.add(change);
            }
        } catch (IOException e) {
            discard();
            throw spillFailed(e);
        }
    }

    /** Estimated bytes of row data in the transaction so far (in memory or spilled). */
    public long bytes() {
        return bytes;
    }

    /** Whether the transaction so far has gone to disk. */
    public boolean spilling() {
        return writer != null;
    }

    /** The whole transaction; the buffer is empty afterwards. */
    public SourceTransaction commit(Lsn commitLsn, Lsn endLsn, Instant commitTime) {
        try {
            if (writer == null) {
                SourceTransaction tx = new SourceTransaction(xid, commitLsn, endLsn, commitTime, changes, bytes);
                changes.clear();
                return tx;
            }
            SpilledChanges spilled = writer.finish();
            writer = null;
            spills.committed(spilled, endLsn);
            return SourceTransaction.spilled(xid, commitLsn, endLsn, commitTime, spilled);
        } catch (IOException e) {
            discard();
            throw spillFailed(e);
        } finally {
            bytes = 0;
        }
    }

    /** Drops the transaction being assembled (and deletes its spill file). */
    public void discard() {
        changes.clear();
        bytes = 0;
        if (writer != null) {
            writer.abort();
            writer = null;
        }
    }

    private CaptureException spillFailed(IOException e) {
        return new CaptureException("cannot spill source transaction " + xid + " (larger than "
                + "helios.apply.max-transaction-bytes, " + memoryBytes + " bytes, in memory) to disk: " + e.getMessage()
                + ". Free space in helios.apply.spill-directory or point it elsewhere, then start the replication again", e, false);
    }
}
