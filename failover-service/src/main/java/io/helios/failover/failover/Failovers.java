package io.helios.failover.failover;

import io.helios.failover.controlplane.ControlPlaneClient;
import io.helios.failover.controlplane.Replication;
import io.helios.failover.decision.Check;
import io.helios.failover.decision.FailoverDecider;
import io.helios.failover.decision.Verdict;
import io.helios.service.security.TenantGuard;
import io.helios.failover.topology.Topology;
import io.helios.failover.topology.Watched;
import io.helios.service.web.ApiException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Failovers for the API and the decision loop: manual failover (and its dry run), reads under the
 * caller's tenant restriction, the quarantine's decisions, and failback's reverse replication.
 */
@Service
public class Failovers {

    private static final Logger log = LoggerFactory.getLogger(Failovers.class);

    private final FailoverRepository repository;
    private final FailoverExecutor executor;
    private final FailoverDecider decider;
    private final Topology topology;
    private final UnreplicatedStore quarantine;
    private final ControlPlaneClient controlPlane;
    private final TenantGuard guard;
    private final Clock clock;

    Failovers(FailoverRepository repository, FailoverExecutor executor, FailoverDecider decider, Topology topology,
              UnreplicatedStore quarantine, ControlPlaneClient controlPlane, TenantGuard guard, Clock clock) {
        this.repository = repository;
        this.executor = executor;
        this.decider = decider;
        this.topology = topology;
        this.quarantine = quarantine;
        this.controlPlane = controlPlane;
        this.guard = guard;
        this.clock = clock;
    }

    /** Failovers whose promotion is not finished (to resume). */
    public List<Failover> promoting() {
        return repository.findUnfinished().stream().filter(f -> f.state() == FailoverState.PROMOTING).toList();
    }

    /**
     * Whether automatic failover of the replication must wait: its last failover FAILED (a refusal no
     * retry changes) less than {@code backoff} ago. An operator's manual failover is not held back.
     */
    public boolean failedRecently(UUID replicationId, java.time.Duration backoff) {
        return repository.findLatestOf(replicationId)
                .filter(f -> f.state() == FailoverState.FAILED)
                .filter(f -> f.updatedAt().isAfter(clock.instant().minus(backoff)))
                .isPresent();
    }

    /** Whether a failover of the replication is in flight. */
    public boolean inFlight(UUID replicationId) {
        return promoting().stream().anyMatch(f -> f.replicationId().equals(replicationId));
    }

    Object manual(FailoverRequest request, String caller) {
        guard.requireForCreation(request.tenantId());
        Watched w = watched(request);
        Verdict v = decider.evaluate(w, true);
        List<Check> checks = new ArrayList<>(v.checks());
        boolean go = checks.stream().allMatch(c -> c.ok() || request.isForced() && overridable(c));
        String summary = request.isForced() ? "forced by " + caller + "; " + v.summary() : v.summary();
        if (request.isDryRun()) {
            return new DryRunView(w.replication().tenantId(), w.replication().id(), w.replication().sourceEndpointId(),
                    w.replication().targetEndpointId(), go, summary, checks);
        }
        if (!go) {
            throw new ApiException(HttpStatus.UNPROCESSABLE_CONTENT, "failover-refused", "Failover refused",
                    "tenant " + request.tenantId() + " cannot fail over now: " + v.summary()
                            + (checks.stream().anyMatch(c -> !c.ok() && overridable(c)) ? " (force overrides primary-down and lag)" : ""));
        }
        if (inFlight(w.replication().id())) {
            throw ApiException.conflict("failover-in-progress", "Failover in progress",
                    "replication " + w.replication().id() + " is already being failed over");
        }
        String reason = "manual failover by " + caller + (request.reason() == null ? "" : ": " + request.reason())
                + (request.isForced() ? " (forced)" : "");
        return FailoverView.of(executor.start(w.replication(), "MANUAL", reason));
    }

    private static boolean overridable(Check c) {
        return c.name().equals("primary-down") || c.name().equals("lag-under-rpo-bound");
    }

    private Watched watched(FailoverRequest request) {
        List<Watched> candidates = candidates(request);
        if (candidates.isEmpty()) {
            topology.refresh();
            candidates = candidates(request);
        }
        if (candidates.isEmpty()) {
            throw new ApiException(HttpStatus.UNPROCESSABLE_CONTENT, "no-failover-target", "Nothing to fail over to",
                    "tenant " + request.tenantId() + " has no active replication"
                            + (request.replicationId() == null ? "" : " " + request.replicationId())
                            + " whose source is its primary");
        }
        if (candidates.size() > 1) {
            throw ApiException.invalid("replicationId", "tenant " + request.tenantId() + " has " + candidates.size()
                    + " replications from its primary; name the one whose target takes over");
        }
        return candidates.get(0);
    }

    private List<Watched> candidates(FailoverRequest request) {
        return topology.watched().stream()
                .filter(w -> w.replication().tenantId().equals(request.tenantId()))
                .filter(w -> request.replicationId() == null || w.replication().id().equals(request.replicationId()))
                .filter(w -> request.replicationId() != null || w.sourceIsPrimary())
                .toList();
    }

    Failover get(UUID id) {
        Failover f = repository.findById(id).orElseThrow(() -> ApiException.notFound("failover", id));
        guard.require(f.tenantId(), () -> ApiException.notFound("failover", id));
        return f;
    }

    List<Failover> list(int limit) {
        return repository.findRecent(limit).stream().filter(f -> guard.visible(f.tenantId())).toList();
    }

    List<UnreplicatedView> unreplicated(UUID id) {
        return quarantine.list(get(id).id());
    }

    UnreplicatedView decide(UUID id, UUID txId, String state, String caller) {
        Failover f = get(id);
        if (!quarantine.decide(f.id(), txId, state, caller, clock.instant())) {
            String now = quarantine.stateOf(f.id(), txId).orElseThrow(() -> ApiException.notFound("unreplicated transaction", txId));
            throw ApiException.conflict("already-decided", "Already decided",
                    "transaction " + txId + " is " + now + " already");
        }
        log.info("failover {}: unreplicated transaction {} marked {} by {}", id, txId, state, caller);
        return quarantine.list(f.id()).stream().filter(t -> t.id().equals(txId)).findFirst().orElseThrow();
    }

    /**
     * Failback, first half: a replication from the new primary back to the old one (which is fenced
     * for the tenant, as a replica must be), created and started through the control plane.
     */
    Failover failback(UUID id) {
        Failover f = get(id);
        if (f.state() != FailoverState.QUARANTINED) {
            throw ApiException.conflict("illegal-transition", "Not ready for failback", "failover " + id + " is " + f.state()
                    + ": failback needs the old primary fenced and its unreplicated writes quarantined (QUARANTINED)");
        }
        if (f.failbackReplicationId() != null && controlPlane.findReplication(f.failbackReplicationId()).isPresent()) {
            return f;
        }
        Replication old = controlPlane.replication(f.replicationId());
        Map<String, Object> request = new HashMap<>();
        request.put("tenantId", f.tenantId());
        request.put("sourceEndpointId", f.newPrimaryId());
        request.put("targetEndpointId", f.oldPrimaryId());
        request.put("tenancyModel", old.tenancyModel());
        request.put("sourceSchema", old.targetSchema() != null ? old.targetSchema() : old.sourceSchema());
        request.put("targetSchema", old.sourceSchema());
        if (old.discriminatorColumn() != null) {
            request.put("discriminatorColumn", old.discriminatorColumn());
        }
        if (old.includeTables() != null && !old.includeTables().isEmpty()) {
            request.put("includeTables", old.includeTables());
        }
        if (old.excludeTables() != null && !old.excludeTables().isEmpty()) {
            request.put("excludeTables", old.excludeTables());
        }
        Replication reverse = controlPlane.createReplication(request);
        controlPlane.startReplication(reverse.id());
        Failover saved = repository.save(f.withFailback(reverse.id(), clock.instant()));
        log.warn("failover {}: failback of tenant {} begun: replication {} from {} back to {}", id, f.tenantId(), reverse.id(),
                f.newPrimaryId(), f.oldPrimaryId());
        return saved;
    }
}
