package io.helios.failover.decision;

import io.helios.failover.controlplane.ReplicationStatus;
import io.helios.failover.health.Observation;
import io.helios.failover.health.ProbeResult;
import io.helios.failover.health.ProbeStore;
import io.helios.service.security.TenantGuard;
import io.helios.failover.topology.Topology;
import io.helios.failover.topology.Watched;
import io.helios.service.web.ApiException;
import io.helios.service.web.ProblemResponses;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.util.List;
import java.util.UUID;

/**
 * {@code GET /api/v1/failovers/health}: per watched replication, every observer's view of its
 * primary and target, its replication state and the decision as it stands; and the probe history of
 * an endpoint. A restricted token sees its tenants' replications and their endpoints only.
 */
@RestController
@Tag(name = "Health", description = "Health of tenant primaries and replicas, and the failover decision as it stands")
class HealthController {

    private final Topology topology;
    private final ProbeStore probes;
    private final FailoverDecider decider;
    private final LeaderLease lease;
    private final TenantGuard guard;

    HealthController(Topology topology, ProbeStore probes, FailoverDecider decider, LeaderLease lease, TenantGuard guard) {
        this.topology = topology;
        this.probes = probes;
        this.decider = decider;
        this.lease = lease;
        this.guard = guard;
    }

    @GetMapping("/api/v1/failovers/health")
    @Operation(summary = "Health of every watched primary and replica, and the failover decision as it stands")
    List<TenantHealth> health() {
        return topology.watched().stream().filter(w -> guard.visible(w.replication().tenantId()))
                .map(this::of).toList();
    }

    @GetMapping("/api/v1/failovers/health/{endpointId}/history")
    @Operation(summary = "Probe history of an endpoint, newest first (every observer)")
    @ProblemResponses({400, 404})
    List<ProbeResult> history(@PathVariable UUID endpointId, @RequestParam(defaultValue = "100") int limit) {
        if (limit < 1 || limit > 1000) {
            throw ApiException.invalid("limit", "must be between 1 and 1000");
        }
        boolean visible = topology.watched().stream().filter(w -> guard.visible(w.replication().tenantId()))
                .anyMatch(w -> w.replication().sourceEndpointId().equals(endpointId)
                        || w.replication().targetEndpointId().equals(endpointId));
        if (!visible && guard.access().restricted()) {
            throw ApiException.notFound("watched endpoint", endpointId);
        }
        return probes.history(endpointId, limit);
    }

    private TenantHealth of(Watched w) {
        var r = w.replication();
        List<Observation> seen = probes.observations(List.of(r.sourceEndpointId(), r.targetEndpointId()));
        Verdict v = decider.evaluate(w, false);
        return new TenantHealth(r.tenantId(), r.id(), r.sourceEndpointId(), r.targetEndpointId(),
                seen.stream().filter(o -> o.endpointId().equals(r.sourceEndpointId())).toList(),
                seen.stream().filter(o -> o.endpointId().equals(r.targetEndpointId())).toList(),
                w.status(), v.failover(), v.checks(), lease.isLeader());
    }

    /** One watched replication's health. */
    @Schema(description = "Health of a tenant's primary and replica, and the failover decision as it stands")
    record TenantHealth(String tenantId, UUID replicationId, UUID primaryEndpointId, UUID targetEndpointId,
                        @Schema(description = "Every observer's current view of the primary") List<Observation> primary,
                        @Schema(description = "Every observer's current view of the target") List<Observation> target,
                        @Schema(description = "The replication's status as the control plane last answered it")
                        ReplicationStatus replication,
                        @Schema(description = "Whether every condition of automatic failover is met now") boolean failoverDue,
                        List<Check> checks,
                        @Schema(description = "Whether the replica that answered acts (holds the leader lease)") boolean answeredByLeader) {
    }
}
