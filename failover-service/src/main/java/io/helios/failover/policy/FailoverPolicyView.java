package io.helios.failover.policy;

import io.swagger.v3.oas.annotations.media.Schema;

import java.time.Instant;
import java.util.UUID;

/** A failover policy as the API shows it. */
@Schema(description = "A failover policy")
public record FailoverPolicyView(UUID id, String name, String tenantId, UUID replicationId, long thresholdMs,
                                 long rpoBoundMs, boolean enabled, Instant createdAt, Instant updatedAt) {

    static FailoverPolicyView of(FailoverPolicy p) {
        return new FailoverPolicyView(p.id(), p.name(), p.tenantId(), p.replicationId(), p.thresholdMs(), p.rpoBoundMs(),
                p.enabled(), p.createdAt(), p.updatedAt());
    }
}
