package io.helios.core.change;

import io.helios.core.spill.SpilledChanges;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A whole committed source transaction, in the order the source committed it.
 *
 * @param xid            source transaction id
 * @param commitLsn      LSN of the commit record
 * @param endLsn         LSN just past the commit record: the position to confirm and checkpoint;
 *                       strictly increasing in commit order
 * @param commitTime     source commit timestamp
 * @param changes        row changes in source order (may be empty)
 * @param estimatedBytes what the changes hold on the heap: the sum of their
 *                       {@link Change#estimatedBytes()}, counted once by whoever assembled the
 *                       transaction (a capture reader counts as it adds changes, so bounding
 *                       buffers and groups never walks the changes again). An estimate for memory
 *                       bounds, not part of the transaction's identity: {@link #equals} ignores it.
 *                       For a spilled transaction, only what it holds in memory (a handle).
 * @param spilled        null, or the changes of a transaction too large to hold in memory, on the
 *                       worker's disk ({@link #changes()} is then empty): read them with
 *                       {@link SpilledChanges#open()}; such a transaction is applied alone in its group
 */
public record SourceTransaction(long xid, Lsn commitLsn, Lsn endLsn, Instant commitTime, List<Change> changes,
                                long estimatedBytes, SpilledChanges spilled) {

    /** What a spilled transaction holds in memory, for bounding buffers. */
    public static final long SPILLED_HEAP_BYTES = 256;

    public SourceTransaction {
        changes = List.copyOf(changes);
        if (spilled != null && !changes.isEmpty()) {
            throw new IllegalArgumentException("a spilled transaction holds its changes on disk only");
        }
    }

    /** A transaction whose changes are in memory, of the size counted while it was assembled. */
    public SourceTransaction(long xid, Lsn commitLsn, Lsn endLsn, Instant commitTime, List<Change> changes,
                             long estimatedBytes) {
        this(xid, commitLsn, endLsn, commitTime, changes, estimatedBytes, null);
    }

    /** A transaction whose size was not counted while it was assembled: counts it now. */
    public SourceTransaction(long xid, Lsn commitLsn, Lsn endLsn, Instant commitTime, List<Change> changes) {
        this(xid, commitLsn, endLsn, commitTime, changes, estimate(changes));
    }

    /** A transaction whose changes were spilled to disk. */
    public static SourceTransaction spilled(long xid, Lsn commitLsn, Lsn endLsn, Instant commitTime,
                                            SpilledChanges spilled) {
        return new SourceTransaction(xid, commitLsn, endLsn, commitTime, List.of(), SPILLED_HEAP_BYTES, spilled);
    }

    public boolean isSpilled() {
        return spilled != null;
    }

    public int rowCount() {
        return spilled != null ? Math.toIntExact(spilled.count()) : changes.size();
    }

    private static long estimate(List<Change> changes) {
        long bytes = 0;
        for (Change c : changes) {
            bytes += c.estimatedBytes();
        }
        return bytes;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SourceTransaction t && xid == t.xid && Objects.equals(commitLsn, t.commitLsn)
                && Objects.equals(endLsn, t.endLsn) && Objects.equals(commitTime, t.commitTime)
                && changes.equals(t.changes) && spilled == t.spilled;
    }

    @Override
    public int hashCode() {
        return Objects.hash(xid, commitLsn, endLsn, commitTime, changes);
    }
}
