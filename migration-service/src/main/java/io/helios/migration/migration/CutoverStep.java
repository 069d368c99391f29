package io.helios.migration.migration;

import io.helios.core.tenant.TenancyModel;
import io.helios.core.tenant.TenantScope;
import io.helios.migration.MigrationProperties;
import io.helios.migration.controlplane.ControlPlaneClient;
import io.helios.migration.controlplane.ControlPlaneException;
import io.helios.migration.controlplane.ReplicationInfo;
import io.helios.migration.controlplane.ReplicationProgress;
import io.helios.migration.controlplane.Route;
import io.helios.migration.cutover.Cutover;
import io.helios.migration.cutover.CutoverOutcome;
import io.helios.migration.cutover.RouteMover;
import io.helios.migration.endpoint.EndpointConnections;
import io.helios.postgres.fence.Fence;
import io.helios.postgres.fence.Hold;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.helios.migration.migration.MigrationPhase.*;

/**
 * The CUTTING_OVER phase: first settles what an earlier attempt left (a crash during the hold, a
 * route move that got no answer) by reading the route, then runs one {@link Cutover} attempt.
 * <ul>
 * <li>the route already names the new primary with a newer epoch: the move happened, finish it
 *     (lift the new primary's fence, the old one refuses with the move) and go on to CUT_OVER;</li>
 * <li>otherwise the old primary is still the primary: a hold left there is lifted (its writers go on),
 *     and an attempt runs if the lag is still within bounds.</li>
 * </ul>
 * Stateless.
 */
@Component
class CutoverStep {

    private static final Logger log = LoggerFactory.getLogger(CutoverStep.class);

    private final MigrationRepository repository;
    private final ControlPlaneClient controlPlane;
    private final EndpointConnections endpoints;
    private final MigrationProperties.Migrations config;
    private final Timer pauses;
    private final MeterRegistry meters;

    CutoverStep(MigrationRepository repository, ControlPlaneClient controlPlane, EndpointConnections endpoints,
                MigrationProperties properties, MeterRegistry meters) {
        this.repository = repository;
        this.controlPlane = controlPlane;
        this.endpoints = endpoints;
        this.config = properties.migrations();
        this.meters = meters;
        this.pauses = Timer.builder("helios.migration.write.pause").description("write pause of committed cutovers")
                .publishPercentiles(0.5, 0.99).register(meters);
    }

    void step(Migration m, String me) throws SQLException {
        UUID from = m.currentPrimary();
        UUID to = m.nextPrimary();
        Route route = controlPlane.route(m.tenantId());
        long expected = m.routingEpoch() == null ? route.routingEpoch() : m.routingEpoch();
        String region = region(to);
        if (route.primaryEndpointId().equals(to) && route.routingEpoch() > expected) {
            log.info("migration {} of tenant {}: the route already moved to {} (epoch {}); finishing that cutover",
                    m.id(), m.tenantId(), to, route.routingEpoch());
            settleMoved(m, from, to, movedReason(m, region, route.routingEpoch()));
            transition(m, me, CUT_OVER, Map.of("routing_epoch", route.routingEpoch()));
            return;
        }
        if (!route.primaryEndpointId().equals(from)) {
            transition(m, me, FAILED, Map.of("last_error", "the tenant's primary moved to " + route.primaryEndpointId()
                    + " outside this migration", "outcome", "FAILED"));
            return;
        }
        try (Connection source = endpoints.open(from)) {
            if (Hold.isHeld(source, m.tenantId())) {
                Fence.unfence(source, m.tenantId());
                log.info("migration {} of tenant {}: lifted the hold an interrupted attempt left on {}; it stays primary",
                        m.id(), m.tenantId(), from);
            }
        }
        if (m.abortRequested()) {
            back(m, me, m.direction() == Migration.Direction.FORWARD ? ABORTED : REVERSE_REPLICATING, "abort requested");
            return;
        }
        ReplicationProgress status = controlPlane.status(m.feedingReplication());
        Double lag = status.streaming() ? (status.lagP99Ms() == null ? 0.0 : status.lagP99Ms()) : null;
        if (lag == null || lag >= m.maxLagForCutoverMs()) {
            back(m, me, m.direction() == Migration.Direction.FORWARD ? CATCHING_UP : REVERSE_REPLICATING,
                    "lag " + lag + " ms is not under " + m.maxLagForCutoverMs() + " ms");
            return;
        }
        attempt(m, me, from, to, region, route.routingEpoch());
    }

    private void attempt(Migration m, String me, UUID from, UUID to, String region, long epoch) throws SQLException {
        ReplicationInfo feeding = controlPlane.replication(m.feedingReplication());
        RouteMover mover = new ControlPlaneMover(m, to);
        try (Connection source = endpoints.open(from); Connection target = endpoints.open(to)) {
            TenantScope scope = Scopes.of(feeding);
            boolean schemas = scope.model() != TenancyModel.DATABASE;
            Cutover.Plan plan = new Cutover.Plan(m.tenantId(), feeding.id().toString(),
                    schemas ? scope.sourceSchema() : null, schemas ? scope.targetSchema() : null, epoch,
                    Duration.ofMillis(m.maxWritePauseMs()),
                    "tenant " + m.tenantId() + " is being moved to " + region + " (migration " + m.id() + "); retry shortly",
                    e -> movedReason(m, region, e));
            CutoverOutcome outcome = new Cutover(plan, source, target, mover,
                    () -> repository.find(m.id()).map(Migration::abortRequested).orElse(false)).run();
            record(m, me, outcome);
        }
    }

    private void record(Migration m, String me, CutoverOutcome outcome) {
        meters.counter("helios.migration.cutovers", "outcome", outcome.kind().name()).increment();
        switch (outcome.kind()) {
            case COMMITTED -> {
                pauses.record(Duration.ofNanos((long) (outcome.writePauseMs() * 1_000_000)));
                Map<String, Object> f = new HashMap<>();
                f.put("write_pause_ms", outcome.writePauseMs());
                f.put("final_lsn", outcome.finalLsn());
                f.put("routing_epoch", outcome.routingEpoch());
                f.put("last_error", null);
                transition(m, me, CUT_OVER, f);
            }
            case ROLLED_BACK -> {
                int attempts = m.cutoverAttempts() + 1;
                Map<String, Object> f = new HashMap<>();
                f.put("cutover_attempts", attempts);
                f.put("last_error", "cutover attempt " + attempts + " rolled back after "
                        + String.format("%.1f", outcome.writePauseMs()) + " ms: " + outcome.reason());
                MigrationPhase next;
                if (m.direction() == Migration.Direction.BACK) {
                    next = REVERSE_REPLICATING;
                    if (attempts >= config.maxCutoverAttempts()) {
                        f.put("rollback_requested", false);
                    }
                } else {
                    next = attempts >= config.maxCutoverAttempts() ? FAILED
                            : m.cutoverMode() == Migration.CutoverMode.AUTO ? CATCHING_UP : READY;
                    if (next == FAILED) {
                        f.put("outcome", "FAILED");
                    }
                }
                transition(m, me, next, f);
            }
            case UNRESOLVED -> repository.set(m.id(), me, Map.of("last_error", outcome.reason()));
        }
    }

    /** The move happened: the new primary takes writes, the old one refuses them naming the move. */
    private void settleMoved(Migration m, UUID from, UUID to, String movedReason) throws SQLException {
        try (Connection target = endpoints.open(to)) {
            Fence.unfence(target, m.tenantId());
        }
        try (Connection source = endpoints.open(from)) {
            Fence.fence(source, m.tenantId(), movedReason);
        }
    }

    private void back(Migration m, String me, MigrationPhase next, String why) {
        log.info("migration {} of tenant {}: no cutover now ({}); back to {}", m.id(), m.tenantId(), why, next);
        Map<String, Object> f = new HashMap<>();
        f.put("last_error", why);
        if (next == ABORTED) {
            f.put("outcome", "ABORTED");
            if (m.replicationId() != null && !m.replicationReused()) {
                try {
                    controlPlane.delete(m.replicationId());
                } catch (ControlPlaneException e) {
                    if (!e.notFound()) {
                        throw e;
                    }
                }
            }
        }
        if (next == REVERSE_REPLICATING) {
            f.put("direction", Migration.Direction.FORWARD);
            f.put("rollback_requested", false);
        }
        transition(m, me, next, f);
    }

    private void transition(Migration m, String me, MigrationPhase to, Map<String, Object> fields) {
        if (repository.transition(m, me, to, fields)) {
            log.info("migration {} of tenant {}: {} -> {}", m.id(), m.tenantId(), m.phase(), to);
        }
    }

    private String region(UUID endpoint) {
        Map<String, String> e = controlPlane.endpoint(endpoint);
        String region = e.get("region");
        return region == null || "null".equals(region) ? e.get("name") : region;
    }

    private static String movedReason(Migration m, String region, long epoch) {
        return "tenant " + m.tenantId() + " moved to " + region + ", routing epoch " + epoch;
    }

    /** The control plane's directory as the cutover's {@link RouteMover}. */
    private final class ControlPlaneMover implements RouteMover {

        private final Migration m;
        private final UUID to;

        ControlPlaneMover(Migration m, UUID to) {
            this.m = m;
            this.to = to;
        }

        @Override
        public long move(long expectedEpoch) {
            try {
                return controlPlane.moveRoute(m.tenantId(), to, expectedEpoch, "migration " + m.id() + " cutover")
                        .routingEpoch();
            } catch (ControlPlaneException e) {
                if (e.staleEpoch()) {
                    throw new StaleEpoch(e.getMessage());
                }
                if (e.status() >= 400 && e.status() < 500) {
                    // refused outright (404, 403, 422): nothing moved
                    throw new StaleEpoch("route move refused: " + e.getMessage());
                }
                throw e;
            }
        }

        @Override
        public Current current() {
            Route r = controlPlane.route(m.tenantId());
            return new Current(r.routingEpoch(), r.primaryEndpointId().equals(to));
        }
    }
}
