package io.helios.failover.failover;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A transaction the old primary committed after the last position the new primary applied: its
 * transaction id, commit LSN (end of the commit record, as checkpoints count) and time, and its row
 * changes ({@code op}, {@code table}, {@code new} and {@code old} images by column name).
 */
public record LostTransaction(long xid, String commitLsn, Instant commitTime, List<Map<String, Object>> changes) {
}
