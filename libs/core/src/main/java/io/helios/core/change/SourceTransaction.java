package io.helios.core.change;

import java.time.Instant;
import java.util.List;

/**
 * A whole committed source transaction, in the order the source committed it.
 *
 * @param xid        source transaction id
 * @param commitLsn  LSN of the commit record
 * @param endLsn     LSN just past the commit record: the position to confirm and checkpoint;
 *                   strictly increasing in commit order
 * @param commitTime source commit timestamp
 * @param changes    row changes in source order (may be empty)
 */
public record SourceTransaction(long xid, Lsn commitLsn, Lsn endLsn, Instant commitTime, List<Change> changes) {

    public SourceTransaction {
        changes = List.copyOf(changes);
    }

    public int rowCount() {
        return changes.size();
    }
}
