package io.helios.controlplane.audit;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import java.time.Duration;

/**
 * The audit trail's settings under {@code helios.audit}.
 *
 * @param checkpointsEnabled whether signed checkpoints of the chain head are written
 * @param checkpointInterval time between two checkpoints (none is written when the head has not moved)
 * @param verifyMaxRows      most rows one {@code GET /api/v1/audit/verify} walks (the {@code limit} parameter's ceiling)
 */
@Validated
@ConfigurationProperties("helios.audit")
public record AuditProperties(@DefaultValue("true") boolean checkpointsEnabled,
                              @NotNull @DefaultValue("5m") Duration checkpointInterval,
                              @Min(1) @Max(100_000_000) @DefaultValue("1000000") int verifyMaxRows) {
}
