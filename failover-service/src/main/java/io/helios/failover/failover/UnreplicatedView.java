package io.helios.failover.failover;

import io.swagger.v3.oas.annotations.media.Schema;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** A quarantined transaction as the API shows it. */
@Schema(description = "A transaction the old primary committed after the last applied position")
public record UnreplicatedView(
        UUID id,
        @Schema(description = "Transaction id on the old primary") long xid,
        @Schema(description = "End LSN of its commit record on the old primary") String commitLsn,
        Instant commitTime,
        @Schema(description = "Row changes: op, table, new and old images by column name (values as text)")
        List<Map<String, Object>> changes,
        @Schema(description = "PENDING, REPLAYED or DISCARDED") String state,
        String decidedBy,
        Instant decidedAt) {
}
