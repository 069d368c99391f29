package io.helios.failover.policy;

import org.springframework.data.annotation.Id;
import org.springframework.data.annotation.Version;
import org.springframework.data.relational.core.mapping.Table;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/**
 * When a tenant (or one replication of it, when {@code replicationId} is set) may be failed over
 * automatically: its primary down for longer than {@code thresholdMs}, its last known lag under
 * {@code rpoBoundMs}. A replication's own policy wins over its tenant's.
 */
@Table("failover_policy")
public record FailoverPolicy(@Id UUID id, String name, String tenantId, UUID replicationId, long thresholdMs,
                             long rpoBoundMs, boolean enabled, Instant createdAt, Instant updatedAt,
                             @Version Long version) {

    public Duration threshold() {
        return Duration.ofMillis(thresholdMs);
    }

    public Duration rpoBound() {
        return Duration.ofMillis(rpoBoundMs);
    }
}
