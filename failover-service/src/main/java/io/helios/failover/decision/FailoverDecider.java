package io.helios.failover.decision;

import io.helios.failover.FailoverProperties;
import io.helios.failover.controlplane.ReplicationStatus;
import io.helios.failover.health.Observation;
import io.helios.failover.health.ProbeStore;
import io.helios.failover.policy.FailoverPolicies;
import io.helios.failover.topology.Watched;
import io.helios.failover.window.MaintenanceWindow;
import io.helios.failover.window.MaintenanceWindows;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Decides whether a watched replication's target should replace its primary, on the effective
 * policy: the primary seen down for longer than the threshold by at least two observers and seen
 * up by none (observers are the failover-service replicas, whose observations are fresh, and the
 * replicating worker, by its own view of its source connection), the last known lag under the RPO
 * bound, the target healthy, a last applied position known, no maintenance window, the policy
 * enabled. A partition that cuts one observer off the primary gives one "down" against others'
 * "up": no failover. Manual failovers skip the policy's enablement and threshold (see
 * {@link #evaluate(Watched, boolean)}). Stateless; reads the shared observations.
 */
@Component
public class FailoverDecider {

    /** Observers that must agree the primary is down. */
    static final int QUORUM = 2;

    private final ProbeStore observations;
    private final FailoverPolicies policies;
    private final MaintenanceWindows windows;
    private final FailoverProperties.Decision config;
    private final Clock clock;

    public FailoverDecider(ProbeStore observations, FailoverPolicies policies, MaintenanceWindows windows,
                           FailoverProperties properties, Clock clock) {
        this.observations = observations;
        this.policies = policies;
        this.windows = windows;
        this.config = properties.decision();
        this.clock = clock;
    }

    /** @param manual an operator asked: the policy's enablement, threshold and window do not apply */
    public Verdict evaluate(Watched w, boolean manual) {
        Instant now = clock.instant();
        var r = w.replication();
        FailoverPolicies.Effective policy = policies.effective(r.tenantId(), r.id());
        Duration threshold = manual ? Duration.ZERO : policy.threshold();
        List<Check> checks = new ArrayList<>();
        checks.add(new Check("replication-active", r.active(), "replication " + r.id() + " is " + r.state()));
        checks.add(new Check("source-is-primary", w.sourceIsPrimary(), w.route() == null
                ? "the tenant's route is unknown (control plane not answering)"
                : "tenant " + r.tenantId() + " is routed to " + w.route().primaryEndpointId() + " (epoch "
                + w.route().routingEpoch() + ")"));
        List<Observation> seen = observations.observations(List.of(r.sourceEndpointId(), r.targetEndpointId()));
        checks.add(primaryDown(w, seen, threshold, now));
        checks.add(targetHealthy(w, seen, now));
        checks.add(lag(w.status(), policy));
        if (!manual) {
            checks.add(new Check("policy-enabled", policy.enabled(), policy.policyId() == null
                    ? "default policy (threshold " + policy.threshold().toMillis() + " ms)"
                    : "policy " + policy.policyId() + (policy.enabled() ? " enabled" : " disabled")));
            Optional<MaintenanceWindow> window = windows.covering(r.tenantId(), now);
            checks.add(new Check("no-maintenance-window", window.isEmpty(), window.map(mw -> "maintenance window " + mw.id()
                    + " until " + mw.endsAt() + ": " + mw.reason()).orElse("no maintenance window")));
        }
        boolean go = checks.stream().allMatch(Check::ok);
        return new Verdict(r, go, List.copyOf(checks));
    }

    private Check primaryDown(Watched w, List<Observation> seen, Duration threshold, Instant now) {
        var source = w.replication().sourceEndpointId();
        List<String> down = new ArrayList<>();
        List<String> up = new ArrayList<>();
        for (Observation o : seen) {
            if (!o.endpointId().equals(source) || !o.fresh(now, config.observationMaxAge())) {
                continue;
            }
            if (o.reachable()) {
                up.add(o.observerId());
            } else if (o.downFor(now, threshold)) {
                down.add(o.observerId() + " (since " + o.since() + ")");
            }
        }
        ReplicationStatus s = w.status();
        // the worker's view counts while it holds the lease and reports (a worker gone is no observer)
        if (s != null && s.workerId() == null) {
            s = null;
        }
        if (s != null && Boolean.FALSE.equals(s.sourceReachable()) && s.sourceDownSince() != null
                && !s.sourceDownSince().isAfter(now.minus(threshold)) && !s.stale()) {
            down.add("worker " + s.workerId() + " (since " + s.sourceDownSince() + ")");
        } else if (s != null && Boolean.TRUE.equals(s.sourceReachable()) && !s.stale()) {
            up.add("worker " + s.workerId());
        }
        boolean ok = down.size() >= QUORUM && up.isEmpty();
        String detail = down.size() + " observer(s) see the primary " + source + " down for " + threshold.toMillis()
                + " ms or more " + down + "; " + up.size() + " see it up " + up;
        return new Check("primary-down", ok, detail);
    }

    private Check targetHealthy(Watched w, List<Observation> seen, Instant now) {
        var target = w.replication().targetEndpointId();
        List<String> healthy = new ArrayList<>();
        List<String> unhealthy = new ArrayList<>();
        for (Observation o : seen) {
            if (o.endpointId().equals(target) && o.fresh(now, config.observationMaxAge())) {
                (o.reachable() ? healthy : unhealthy).add(o.observerId());
            }
        }
        return new Check("target-healthy", !healthy.isEmpty(), "target " + target + " healthy for " + healthy
                + (unhealthy.isEmpty() ? "" : ", not for " + unhealthy));
    }

    private Check lag(ReplicationStatus s, FailoverPolicies.Effective policy) {
        if (s == null || s.lastAppliedLsn() == null) {
            return new Check("lag-under-rpo-bound", false, "no applied position known (the replica never completed its copy)");
        }
        if (s.lagP99Ms() == null) {
            return new Check("lag-under-rpo-bound", false, "no lag measured yet");
        }
        boolean ok = s.lagP99Ms() <= policy.rpoBound().toMillis();
        return new Check("lag-under-rpo-bound", ok, "last known lag p99 " + Math.round(s.lagP99Ms()) + " ms, bound "
                + policy.rpoBound().toMillis() + " ms, last applied " + s.lastAppliedLsn());
    }
}
