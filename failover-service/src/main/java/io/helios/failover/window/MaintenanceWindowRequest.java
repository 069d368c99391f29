package io.helios.failover.window;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

import java.time.Instant;

/** A maintenance window to open. */
@Schema(description = "A maintenance window: no automatic failover in it")
public record MaintenanceWindowRequest(
        @Schema(description = "The tenant it covers; absent: every tenant (needs a token valid for all tenants)")
        @Size(max = 100) String tenantId,
        @NotNull Instant startsAt,
        @NotNull Instant endsAt,
        @NotBlank @Size(max = 500) String reason) {
}
