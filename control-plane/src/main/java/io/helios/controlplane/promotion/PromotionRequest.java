package io.helios.controlplane.promotion;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.Size;

/** Why a replication's target is promoted (kept in the log and the audit trail). */
@Schema(description = "Why the target is promoted")
public record PromotionRequest(@Size(max = 500) String reason) {
}
