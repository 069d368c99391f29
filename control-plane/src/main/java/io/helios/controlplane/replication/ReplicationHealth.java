package io.helios.controlplane.replication;

import io.swagger.v3.oas.annotations.media.Schema;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * What the WAL guard last found of a replication's slot (implemented by the WAL guard feature,
 * so that the dependency points from it to {@code replication} only).
 */
public interface ReplicationHealth {

    /** The guard's last reading of the replication, if it read it yet. */
    Optional<Wal> of(UUID replicationId);

    /** The replication's slot on its source as the WAL guard last read it. */
    @Schema(name = "ReplicationWal", description = "The replication's slot on its source, as the WAL guard last read it")
    record Wal(
            @Schema(example = "helios_0f8e...") String slot,
            @Schema(description = "Whether the slot exists on the source") boolean slotPresent,
            @Schema(description = "Whether a walsender streams from it") Boolean slotActive,
            @Schema(description = "pg_replication_slots.wal_status: reserved, extended, unreserved, lost") String walStatus,
            @Schema(description = "WAL the slot holds back on the source: current WAL position minus restart_lsn")
            Long retainedBytes,
            @Schema(description = "pg_replication_slots.safe_wal_size: bytes that can be written before the slot "
                    + "risks losing WAL (null when max_slot_wal_keep_size is -1)") Long safeWalSize,
            @Schema(description = "Highest retention threshold crossed: NONE, WARN, LIMIT") String alertLevel,
            @Schema(description = "The guard dropped the slot (retention limit, or WAL lost): the next start copies "
                    + "the tenant afresh") boolean needsFreshCopy,
            @Schema(description = "Why the guard failed the replication or dropped its slot") String reason,
            @Schema(description = "Why the last read of the source failed, if it did") String readError,
            Instant checkedAt) {
    }
}
