package io.helios.failover.failover;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

import java.util.UUID;

/** A manual failover, or the question what one would do. */
@Schema(description = "A manual failover of a tenant to the target of its replication")
public record FailoverRequest(
        @NotBlank @Size(max = 100) String tenantId,
        @Schema(description = "The replication whose target takes over; optional when the tenant has one whose source is its primary")
        UUID replicationId,
        @Schema(description = "Answer what would happen and why, change nothing (default false)") Boolean dryRun,
        @Schema(description = "Promote although the observers do not agree the primary is down or the lag is over the bound "
                + "(the old primary is then fenced at once, and its unreplicated writes quarantined; default false)") Boolean force,
        @Size(max = 500) String reason) {

    public boolean isDryRun() {
        return Boolean.TRUE.equals(dryRun);
    }

    public boolean isForced() {
        return Boolean.TRUE.equals(force);
    }
}
