package io.helios.failover.policy;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;

import java.util.UUID;

/** A failover policy to create or replace. */
@Schema(description = "A failover policy, attached to a tenant or to one replication of it")
public record FailoverPolicyRequest(
        @NotBlank @Size(max = 100) String name,
        @NotBlank @Size(max = 100) String tenantId,
        @Schema(description = "Attach to this replication of the tenant only; absent: every replication of the tenant")
        UUID replicationId,
        @Schema(description = "Primary down for longer than this before failover (default 5000)")
        @PositiveOrZero @Max(3_600_000) Long thresholdMs,
        @Schema(description = "Largest last known replication lag that still allows failover (default 5000)")
        @PositiveOrZero @Max(86_400_000) Long rpoBoundMs,
        @Schema(description = "Automatic failover on (default true); manual failovers ignore it") Boolean enabled) {
}
