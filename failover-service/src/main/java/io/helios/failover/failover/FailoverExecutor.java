package io.helios.failover.failover;

import io.helios.failover.controlplane.ControlPlaneClient;
import io.helios.failover.controlplane.ControlPlaneException;
import io.helios.failover.controlplane.Promotion;
import io.helios.failover.controlplane.Replication;
import io.helios.failover.controlplane.Route;
import io.helios.failover.endpoint.EndpointConnections;
import io.helios.failover.topology.Topology;
import io.helios.postgres.fence.Fence;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/**
 * Performs a promotion, step by step, each idempotent so that a resumed failover simply runs them
 * again: (1) the control plane revokes the replication's lease and fences the target's checkpoint
 * at the new epoch, answering the last applied position; (2) the target's fence for the tenant is
 * lifted; (3) the tenant's route moves to the target by compare-and-set on its routing epoch (a lost
 * race to a route that already names the target counts as done); then the failover is PROMOTED and
 * an event and an alert go out. A step that fails leaves the failover PROMOTING with its error, for
 * the leader to resume; only a refusal that no retry can change fails it.
 */
@Service
public class FailoverExecutor {

    private static final Logger log = LoggerFactory.getLogger(FailoverExecutor.class);

    private final FailoverRepository failovers;
    private final ControlPlaneClient controlPlane;
    private final EndpointConnections connections;
    private final Topology topology;
    private final FailoverEvents events;
    private final MeterRegistry meters;
    private final Clock clock;

    FailoverExecutor(FailoverRepository failovers, ControlPlaneClient controlPlane, EndpointConnections connections,
                     Topology topology, FailoverEvents events, MeterRegistry meters, Clock clock) {
        this.failovers = failovers;
        this.controlPlane = controlPlane;
        this.connections = connections;
        this.topology = topology;
        this.events = events;
        this.meters = meters;
        this.clock = clock;
    }

    /**
     * Records a new failover of {@code r} (PROMOTING) and runs it. Answers the failover as it ended
     * (PROMOTED, or PROMOTING with an error to resume, or FAILED).
     *
     * @throws io.helios.service.web.ApiException 409 when a failover of this replication is already in flight
     */
    public Failover start(Replication r, String trigger, String reason) {
        Instant now = clock.instant();
        Failover f;
        try {
            f = failovers.save(new Failover(UUID.randomUUID(), r.tenantId(), r.id(), r.sourceEndpointId(),
                    r.targetEndpointId(), null, trigger, FailoverState.PROMOTING, reason, null, null, null, null, now, null,
                    null, null, null, null, now, null));
        } catch (DuplicateKeyException e) {
            throw io.helios.service.web.ApiException.conflict("failover-in-progress", "Failover in progress",
                    "replication " + r.id() + " is already being failed over");
        }
        log.warn("failover {} of tenant {} ({}): promoting replication {} target {} over source {}: {}", f.id(),
                f.tenantId(), trigger, r.id(), r.targetEndpointId(), r.sourceEndpointId(), reason);
        return run(f);
    }

    /** Runs (or resumes) the promotion steps of a PROMOTING failover. */
    public Failover run(Failover f) {
        if (f.state() != FailoverState.PROMOTING) {
            return f;
        }
        try {
            Promotion p = controlPlane.promote(f.replicationId(), "failover " + f.id() + ": " + f.reason());
            if (f.leaseEpoch() == null || f.leaseEpoch() != p.leaseEpoch()) {
                f = failovers.save(f.withLease(f.lastAppliedLsn() != null ? f.lastAppliedLsn() : p.lastAppliedLsn(),
                        p.leaseEpoch(), clock.instant()));
            }
            unfenceTarget(f);
            Route route = moveRoute(f);
            Failover promoted = failovers.save(f.promotedAs(f.lastAppliedLsn(), f.leaseEpoch(), route.routingEpoch(),
                    route.region(), clock.instant()));
            topology.forget(f.replicationId());
            Duration took = Duration.between(promoted.startedAt(), promoted.promotedAt());
            meters.timer("helios.failover.promotion", "trigger", promoted.trigger()).record(took);
            log.warn("failover {}: tenant {} now served by endpoint {} ({}), routing epoch {}, lease epoch {}, last applied "
                            + "{}; promoted in {} ms", promoted.id(), promoted.tenantId(), promoted.newPrimaryId(),
                    promoted.newPrimaryRegion(), promoted.routingEpoch(), promoted.leaseEpoch(), promoted.lastAppliedLsn(),
                    took.toMillis());
            events.event("promoted", promoted, FailoverEvents.of("routingEpoch", promoted.routingEpoch(), "leaseEpoch",
                    promoted.leaseEpoch(), "lastAppliedLsn", promoted.lastAppliedLsn(), "region", promoted.newPrimaryRegion()),
                    promoted.promotedAt());
            events.alert("TenantFailedOver", promoted, "tenant " + promoted.tenantId() + " failed over to "
                    + promoted.newPrimaryRegion() + " (routing epoch " + promoted.routingEpoch() + "): " + promoted.reason(),
                    promoted.promotedAt());
            return promoted;
        } catch (ControlPlaneException e) {
            if (e.status() == 404 || e.status() == 400 || e.status() == 403) {
                return fail(f, e.getMessage());
            }
            return keepError(f, e.getMessage());
        } catch (SQLException | RuntimeException e) {
            return keepError(f, e.getMessage());
        }
    }

    private void unfenceTarget(Failover f) throws SQLException {
        try (Connection c = connections.open(f.newPrimaryId())) {
            c.setAutoCommit(true);
            Fence.unfence(c, f.tenantId());
        } catch (SQLException e) {
            throw new SQLException("could not lift the fence of tenant " + f.tenantId() + " on the target " + f.newPrimaryId()
                    + ": " + e.getMessage(), e.getSQLState(), e);
        }
        log.info("failover {}: fence of tenant {} lifted on endpoint {}", f.id(), f.tenantId(), f.newPrimaryId());
    }

    private Route moveRoute(Failover f) {
        Route current = controlPlane.route(f.tenantId());
        if (current.primaryEndpointId().equals(f.newPrimaryId())) {
            return current;
        }
        try {
            return controlPlane.moveRoute(f.tenantId(), f.newPrimaryId(), current.routingEpoch(), "failover " + f.id());
        } catch (ControlPlaneException e) {
            if ("stale-routing-epoch".equals(e.type())) {
                Route now = controlPlane.route(f.tenantId());
                if (now.primaryEndpointId().equals(f.newPrimaryId())) {
                    return now;
                }
                throw new ControlPlaneException(409, e.type(), "tenant " + f.tenantId() + " was moved to "
                        + now.primaryEndpointId() + " by someone else meanwhile (routing epoch " + now.routingEpoch() + ")");
            }
            throw e;
        }
    }

    private Failover keepError(Failover f, String error) {
        log.warn("failover {} of tenant {}: promotion step failed, will resume: {}", f.id(), f.tenantId(), error);
        return failovers.save(failovers.findById(f.id()).orElse(f).withError(error, clock.instant()));
    }

    private Failover fail(Failover f, String error) {
        Failover failed = failovers.save(failovers.findById(f.id()).orElse(f).failed(error, clock.instant()));
        log.error("failover {} of tenant {} failed: {}", f.id(), f.tenantId(), error);
        events.event("failed", failed, FailoverEvents.of("error", error), failed.updatedAt());
        events.alert("FailoverFailed", failed, error, failed.updatedAt());
        return failed;
    }
}
