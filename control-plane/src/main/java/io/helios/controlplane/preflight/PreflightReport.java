package io.helios.controlplane.preflight;

import io.swagger.v3.oas.annotations.media.Schema;

import java.util.List;
import java.util.UUID;

/** The checks of one endpoint in one role; {@code ok} when none failed. */
@Schema(description = "Preflight result of one endpoint")
public record PreflightReport(UUID endpointId, Role role,
                              @Schema(description = "true when no check failed") boolean ok,
                              List<Check> checks) {

    static PreflightReport of(UUID endpointId, Role role, List<Check> checks) {
        return new PreflightReport(endpointId, role, checks.stream().noneMatch(c -> c.status() == Check.Status.FAIL),
                List.copyOf(checks));
    }

    /** Both ends of a replication. */
    @Schema(name = "PreflightPair", description = "Preflight result of both ends of a replication")
    public record Pair(UUID replicationId, boolean ok, PreflightReport source, PreflightReport target) {
    }
}
