package io.helios.controlplane.routing;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;

import java.util.UUID;

/** A move of a tenant's primary, made by the service that fenced the old one (migration cutover, failover). */
@Schema(description = "Move the tenant's primary if its routing epoch is still expectedEpoch")
public record RouteChange(
        @NotNull @Schema(description = "The new primary endpoint") UUID primaryEndpointId,
        @NotNull @PositiveOrZero @Schema(description = "The routing epoch the mover read; the move is refused (409) when it changed since")
        Long expectedEpoch,
        @Size(max = 500) @Schema(description = "Why (logged, audited and published with the event), e.g. 'migration <id> cutover'")
        String reason) {
}
