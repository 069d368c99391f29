package io.helios.failover.decision;

import io.swagger.v3.oas.annotations.media.Schema;

/** One condition of a failover decision, met or not, and why. */
@Schema(description = "One condition of the decision")
public record Check(@Schema(example = "primary-down") String name, boolean ok, String detail) {
}
