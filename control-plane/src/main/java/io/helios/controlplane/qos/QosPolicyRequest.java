package io.helios.controlplane.qos;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;

/** What an operator sends to define or change a QoS policy. */
@Schema(description = "A quality-of-service policy")
public record QosPolicyRequest(
        @Schema(example = "gold") @NotBlank @Size(max = 100) String name,
        @Schema(description = "Tier") @NotNull QosTier tier,
        @Schema(description = "Maximum acceptable lag in milliseconds (at most one day)", example = "1000") @Positive @Max(86_400_000) long maxLagMs,
        @Schema(description = "Compression of cross-region batches") @NotNull Compression compression,
        @Schema(description = "Scheduling priority, 0 (lowest) to 255", example = "128") @Min(0) @Max(255) int priority) {
}
