package io.helios.migration.migration;

import io.helios.migration.controlplane.ControlPlaneClient;
import io.helios.migration.controlplane.ControlPlaneException;
import io.helios.migration.controlplane.ReplicationInfo;
import io.helios.migration.controlplane.ReplicationProgress;
import io.helios.migration.controlplane.Route;
import io.helios.migration.endpoint.EndpointConnections;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import static io.helios.migration.migration.MigrationPhase.*;

/**
 * One step of a migration from its persisted phase. Every step is idempotent: it first looks at
 * what the world already holds (the replication it created, the route, the fence) and only then
 * acts, so a step cut short by a crash is simply run again. Phase changes are compare-and-set on
 * the stored phase under the caller's lease ({@link MigrationRepository#transition}). Stateless.
 */
@Component
class MigrationSteps {

    private static final Logger log = LoggerFactory.getLogger(MigrationSteps.class);

    private final MigrationRepository repository;
    private final ControlPlaneClient controlPlane;
    private final EndpointConnections endpoints;
    private final CutoverStep cutover;

    MigrationSteps(MigrationRepository repository, ControlPlaneClient controlPlane, EndpointConnections endpoints,
                   CutoverStep cutover) {
        this.repository = repository;
        this.controlPlane = controlPlane;
        this.endpoints = endpoints;
        this.cutover = cutover;
    }

    void advance(Migration m, String me) throws SQLException {
        if (m.abortRequested() && m.phase().abortable() && m.phase() != CUTTING_OVER) {
            abort(m, me);
            return;
        }
        switch (m.phase()) {
            case PLANNED -> plan(m, me);
            case COPYING -> copying(m, me);
            case CATCHING_UP, READY -> catchingUp(m, me);
            case CUTTING_OVER -> cutover.step(m, me);
            case CUT_OVER -> cutOver(m, me);
            case REVERSE_REPLICATING -> reverse(m, me);
            case CLEANING_UP -> cleanUp(m, me);
            default -> {
            }
        }
    }

    /** Finds or creates the replication source -> target, guards the source's tables, starts it. */
    private void plan(Migration m, String me) throws SQLException {
        Route route = controlPlane.route(m.tenantId());
        if (!route.primaryEndpointId().equals(m.sourceEndpointId())) {
            fail(m, me, "the tenant's primary is now " + route.primaryEndpointId() + ", not the migration's source "
                    + m.sourceEndpointId());
            return;
        }
        List<ReplicationInfo> all = controlPlane.replicationsOf(m.tenantId());
        Optional<ReplicationInfo> existing = m.replicationId() != null
                ? all.stream().filter(r -> r.id().equals(m.replicationId())).findFirst()
                : all.stream().filter(r -> r.sourceEndpointId().equals(m.sourceEndpointId())
                        && r.targetEndpointId().equals(m.targetEndpointId())).findFirst();
        ReplicationInfo replication;
        boolean reused;
        if (existing.isPresent()) {
            replication = existing.get();
            reused = m.replicationId() == null || m.replicationReused();
        } else {
            replication = controlPlane.createReplication(request(m, all));
            reused = false;
            log.info("migration {} of tenant {}: created replication {} {} -> {}", m.id(), m.tenantId(), replication.id(),
                    m.sourceEndpointId(), m.targetEndpointId());
        }
        repository.set(m.id(), me, Map.of("replication_id", replication.id(), "replication_reused", reused,
                "tenancy_model", replication.tenancyModel()));
        try (Connection source = endpoints.open(m.sourceEndpointId())) {
            int tables = Scopes.protectSource(source, replication).size();
            log.info("migration {} of tenant {}: guards installed on {} source tables", m.id(), m.tenantId(), tables);
        }
        if (!"RUNNING".equals(replication.state()) && !"PAUSED".equals(replication.state())) {
            controlPlane.start(replication.id());
        }
        ReplicationProgress status = controlPlane.status(replication.id());
        MigrationPhase next = reused && status.streaming() ? CATCHING_UP : COPYING;
        if (next == CATCHING_UP) {
            log.info("migration {} of tenant {}: replication {} already streams to the target, no copy needed", m.id(),
                    m.tenantId(), replication.id());
        }
        move(m, me, next, Map.of("replication_id", replication.id(), "replication_reused", reused));
    }

    private Map<String, Object> request(Migration m, List<ReplicationInfo> all) {
        Optional<ReplicationInfo> layout = all.stream().filter(r -> r.sourceEndpointId().equals(m.sourceEndpointId()))
                .findFirst();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("tenantId", m.tenantId());
        body.put("sourceEndpointId", m.sourceEndpointId().toString());
        body.put("targetEndpointId", m.targetEndpointId().toString());
        body.put("tenancyModel", m.tenancyModel() != null ? m.tenancyModel()
                : layout.map(ReplicationInfo::tenancyModel).orElse("SCHEMA"));
        body.put("sourceSchema", m.sourceSchema() != null ? m.sourceSchema()
                : layout.map(ReplicationInfo::sourceSchema).orElse(null));
        body.put("targetSchema", m.targetSchema());
        body.put("discriminatorColumn", m.discriminatorColumn() != null ? m.discriminatorColumn()
                : layout.map(ReplicationInfo::discriminatorColumn).orElse(null));
        layout.ifPresent(l -> {
            body.put("includeTables", l.includeTables());
            body.put("excludeTables", l.excludeTables());
        });
        body.put("lagTargetMs", Math.max(1, m.maxLagForCutoverMs()));
        return body;
    }

    /** Follows the initial copy; moves on once the replication streams. */
    private void copying(Migration m, String me) {
        ReplicationProgress p = controlPlane.status(m.replicationId());
        Map<String, Object> progress = progress(m, p);
        if (p.streaming()) {
            log.info("migration {} of tenant {}: copy done ({} rows), catching up", m.id(), m.tenantId(), p.copyRows());
            progress.put("percent", 100);
            progress.put("eta_seconds", 0L);
            move(m, me, CATCHING_UP, progress);
            return;
        }
        if ("FAILED".equals(p.state())) {
            log.warn("migration {} of tenant {}: replication {} failed: {}; starting it again", m.id(), m.tenantId(),
                    m.replicationId(), p.lastError());
            controlPlane.start(m.replicationId());
        }
        repository.set(m.id(), me, progress);
        log.info("migration {} of tenant {}: copying, {} rows, {}%", m.id(), m.tenantId(), p.copyRows(), p.copyPercent());
    }

    /** Waits for the lag bound; AUTO then cuts over, MANUAL waits in READY for the operator. */
    private void catchingUp(Migration m, String me) {
        ReplicationProgress p = controlPlane.status(m.replicationId());
        Double lag = lag(p);
        Map<String, Object> progress = new HashMap<>();
        progress.put("lag_ms", lag);
        boolean caughtUp = p.streaming() && lag != null && lag < m.maxLagForCutoverMs();
        if (!caughtUp) {
            if (m.phase() == READY) {
                move(m, me, CATCHING_UP, progress);
            } else {
                repository.set(m.id(), me, progress);
            }
            return;
        }
        if (m.cutoverMode() == Migration.CutoverMode.AUTO || m.cutoverRequested()) {
            Route route = controlPlane.route(m.tenantId());
            progress.put("routing_epoch", route.routingEpoch());
            move(m, me, CUTTING_OVER, progress);
        } else if (m.phase() == CATCHING_UP) {
            move(m, me, READY, progress);
        } else {
            repository.set(m.id(), me, progress);
        }
    }

    /** The tenant is served by its new primary: stop feeding it, and start the way back when asked to. */
    private void cutOver(Migration m, String me) {
        UUID feeding = m.feedingReplication();
        stopQuietly(feeding);
        if (m.direction() == Migration.Direction.BACK || !m.keepReverse()) {
            move(m, me, CLEANING_UP, Map.of());
            return;
        }
        ReplicationInfo forward = controlPlane.replication(m.replicationId());
        UUID reverse = m.reverseReplicationId();
        if (reverse == null) {
            reverse = controlPlane.replicationsOf(m.tenantId()).stream()
                    .filter(r -> r.sourceEndpointId().equals(m.targetEndpointId())
                            && r.targetEndpointId().equals(m.sourceEndpointId()))
                    .map(ReplicationInfo::id).findFirst()
                    .orElseGet(() -> controlPlane.createReplication(reverseRequest(m, forward)).id());
            repository.set(m.id(), me, Map.of("reverse_replication_id", reverse));
        }
        ReplicationInfo info = controlPlane.replication(reverse);
        if (!"RUNNING".equals(info.state()) && !"PAUSED".equals(info.state())) {
            controlPlane.start(reverse);
        }
        log.info("migration {} of tenant {}: reverse replication {} {} -> {} started", m.id(), m.tenantId(), reverse,
                m.targetEndpointId(), m.sourceEndpointId());
        move(m, me, REVERSE_REPLICATING, Map.of("reverse_replication_id", reverse));
    }

    private static Map<String, Object> reverseRequest(Migration m, ReplicationInfo forward) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("tenantId", m.tenantId());
        body.put("sourceEndpointId", m.targetEndpointId().toString());
        body.put("targetEndpointId", m.sourceEndpointId().toString());
        body.put("tenancyModel", forward.tenancyModel());
        body.put("sourceSchema", forward.targetSchema() != null ? forward.targetSchema() : forward.sourceSchema());
        body.put("targetSchema", forward.sourceSchema());
        body.put("discriminatorColumn", forward.discriminatorColumn());
        body.put("includeTables", forward.includeTables());
        body.put("excludeTables", forward.excludeTables());
        body.put("lagTargetMs", Math.max(1, m.maxLagForCutoverMs()));
        return body;
    }

    /** Follows the reverse replication; a rollback cuts back over once it has caught up. */
    private void reverse(Migration m, String me) throws SQLException {
        if (m.completeRequested()) {
            move(m, me, CLEANING_UP, Map.of());
            return;
        }
        ReplicationProgress p = controlPlane.status(m.reverseReplicationId());
        Double lag = lag(p);
        Map<String, Object> progress = new HashMap<>();
        progress.put("lag_ms", lag);
        if (m.rollbackRequested() && p.streaming() && lag != null && lag < m.maxLagForCutoverMs()) {
            ReplicationInfo reverse = controlPlane.replication(m.reverseReplicationId());
            try (Connection newPrimary = endpoints.open(m.targetEndpointId())) {
                Scopes.protectSource(newPrimary, reverse);
            }
            progress.put("routing_epoch", controlPlane.route(m.tenantId()).routingEpoch());
            progress.put("direction", Migration.Direction.BACK);
            progress.put("cutover_attempts", 0);
            log.info("migration {} of tenant {}: rolling back to {}", m.id(), m.tenantId(), m.sourceEndpointId());
            move(m, me, CUTTING_OVER, progress);
            return;
        }
        repository.set(m.id(), me, progress);
    }

    /** Stops and removes what the migration created; the tenant stays where the cutover left it. */
    private void cleanUp(Migration m, String me) {
        boolean back = m.direction() == Migration.Direction.BACK;
        if (m.replicationId() != null && !m.replicationReused()) {
            deleteQuietly(m.replicationId());
        } else if (m.replicationId() != null && back) {
            // the tenant's replica before the migration: rolled back, the tenant has it again (a fresh copy)
            restartQuietly(m.replicationId());
        } else {
            stopQuietly(m.replicationId());
        }
        if (m.reverseReplicationId() != null) {
            deleteQuietly(m.reverseReplicationId());
        }
        String outcome = back ? "ROLLED_BACK" : "MOVED";
        log.info("migration {} of tenant {}: done ({})", m.id(), m.tenantId(), outcome);
        move(m, me, DONE, Map.of("outcome", outcome));
    }

    private void abort(Migration m, String me) {
        if (m.replicationId() != null && !m.replicationReused()) {
            deleteQuietly(m.replicationId());
        }
        log.info("migration {} of tenant {}: aborted in {}; the tenant stays on {}", m.id(), m.tenantId(), m.phase(),
                m.sourceEndpointId());
        move(m, me, ABORTED, Map.of("outcome", "ABORTED"));
    }

    private void fail(Migration m, String me, String why) {
        log.warn("migration {} of tenant {}: failed in {}: {}", m.id(), m.tenantId(), m.phase(), why);
        move(m, me, FAILED, Map.of("last_error", why, "outcome", "FAILED"));
    }

    private void move(Migration m, String me, MigrationPhase to, Map<String, Object> fields) {
        if (repository.transition(m, me, to, fields)) {
            log.info("migration {} of tenant {}: {} -> {}", m.id(), m.tenantId(), m.phase(), to);
        } else {
            log.info("migration {} of tenant {}: {} -> {} not taken (lease lost or phase changed)", m.id(), m.tenantId(),
                    m.phase(), to);
        }
    }

    private Map<String, Object> progress(Migration m, ReplicationProgress p) {
        Map<String, Object> out = new HashMap<>();
        out.put("rows_copied", Math.max(p.copyRows(), p.rowsApplied()));
        out.put("percent", p.copyPercent());
        Long eta = null;
        if (p.copyPercent() != null && p.copyPercent() > 0 && p.copyPercent() < 100) {
            long elapsed = Duration.between(m.phaseSince(), Instant.now()).toSeconds();
            eta = elapsed * (100 - p.copyPercent()) / p.copyPercent();
        }
        out.put("eta_seconds", eta);
        out.put("lag_ms", lag(p));
        return out;
    }

    /** The worker's latest lag; 0 when it streams and has had nothing to apply since its last report. */
    private static Double lag(ReplicationProgress p) {
        if (!p.streaming()) {
            return null;
        }
        return p.lagP99Ms() != null ? p.lagP99Ms() : 0.0;
    }

    private void stopQuietly(UUID replication) {
        if (replication == null) {
            return;
        }
        try {
            controlPlane.stop(replication);
        } catch (ControlPlaneException e) {
            if (e.status() != 409 && !e.notFound()) {
                throw e;
            }
        }
    }

    private void restartQuietly(UUID replication) {
        try {
            ReplicationInfo r = controlPlane.replication(replication);
            if (!"RUNNING".equals(r.state()) && !"PAUSED".equals(r.state())) {
                controlPlane.start(replication);
            }
        } catch (ControlPlaneException e) {
            if (!e.notFound()) {
                throw e;
            }
        }
    }

    private void deleteQuietly(UUID replication) {
        try {
            controlPlane.delete(replication);
        } catch (ControlPlaneException e) {
            if (!e.notFound()) {
                throw e;
            }
        }
    }
}
