package io.helios.controlplane.sweeper;

import io.swagger.v3.oas.annotations.media.Schema;

import java.time.Instant;
import java.util.UUID;

/** An orphaned slot or publication as the sweeper last saw it. */
@Schema(description = "A helios_* slot or publication no live replication owns")
public record OrphanView(
        UUID endpointId,
        @Schema(description = "SLOT or PUBLICATION") String kind,
        @Schema(example = "helios_0f8e6c1d2b3a4f5e6d7c8b9a0f1e2d3c") String name,
        @Schema(description = "A walsender holds the slot (or the slot of the same name): reported, never dropped")
        boolean active,
        @Schema(description = "The replication whose id the name carries, when it still exists") UUID replicationId,
        @Schema(description = "That replication's state") String replicationState,
        Instant firstSeenAt,
        Instant lastSeenAt,
        @Schema(description = "When the sweeper drops it, if it is then inactive (null when dropping is disabled)")
        Instant dropAfter) {
}
