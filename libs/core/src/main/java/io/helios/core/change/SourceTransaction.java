package io.helios.core.change;

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
 */
public record SourceTransaction(long xid, Lsn commitLsn, Lsn endLsn, Instant commitTime, List<Change> changes,
                                long estimatedBytes) {

    public SourceTransaction {
        changes = List.copyOf(changes);
    }

    /** A transaction whose size was not counted while it was assembled: counts it now. */
    public SourceTransaction(long xid, Lsn commitLsn, Lsn endLsn, Instant commitTime, List<Change> changes) {
        this(xid, commitLsn, endLsn, commitTime, changes, estimate(changes));
    }

    public int rowCount() {
        return changes.size();
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
                && changes.equals(t.changes);
    }

    @Override
    public int hashCode() {
        return Objects.hash(xid, commitLsn, endLsn, commitTime, changes);
    }
}
