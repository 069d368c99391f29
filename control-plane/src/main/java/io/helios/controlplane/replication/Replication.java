package io.helios.controlplane.replication;

import io.helios.core.apply.ConflictStrategy;
import io.helios.core.tenant.TenancyModel;
import org.springframework.data.annotation.Id;
import org.springframework.data.annotation.Version;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/**
 * A declared replication of one tenant from a source endpoint to a target endpoint. Refers to
 * tenant, endpoints and QoS policy by id. {@code leaseEpoch} is the fencing token counter: it
 * is bumped (with {@code version}) by the lease feature on every grant and revocation, never
 * through {@code save} of a stale copy, which {@code @Version} refuses.
 */
public record Replication(@Id UUID id, String tenantId, UUID sourceEndpointId, UUID targetEndpointId,
                          TenancyModel tenancyModel, String sourceSchema, String targetSchema,
                          String discriminatorColumn, String includeTables, String excludeTables, Long lagTargetMs,
                          UUID qosPolicyId, ConflictStrategy conflictStrategy, ReplicationState state, long leaseEpoch,
                          Instant createdAt, Instant updatedAt, @Version Long version) {

    public Replication withVersion(Long newVersion) {
        return new Replication(id, tenantId, sourceEndpointId, targetEndpointId, tenancyModel, sourceSchema, targetSchema,
                discriminatorColumn, includeTables, excludeTables, lagTargetMs, qosPolicyId, conflictStrategy, state,
                leaseEpoch, createdAt, updatedAt, newVersion);
    }

    public Replication withState(ReplicationState newState, Instant at) {
        return new Replication(id, tenantId, sourceEndpointId, targetEndpointId, tenancyModel, sourceSchema, targetSchema,
                discriminatorColumn, includeTables, excludeTables, lagTargetMs, qosPolicyId, conflictStrategy, newState,
                leaseEpoch, createdAt, at, version);
    }

    public List<String> includeList() {
        return split(includeTables);
    }

    public List<String> excludeList() {
        return split(excludeTables);
    }

    static String join(List<String> globs) {
        return globs == null || globs.isEmpty() ? null : String.join(",", globs);
    }

    private static List<String> split(String joined) {
        return joined == null || joined.isEmpty() ? List.of() : Arrays.asList(joined.split(","));
    }
}
