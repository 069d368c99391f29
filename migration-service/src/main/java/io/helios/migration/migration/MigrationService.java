package io.helios.migration.migration;

import io.helios.migration.controlplane.ControlPlaneClient;
import io.helios.migration.controlplane.ControlPlaneException;
import io.helios.migration.controlplane.Route;
import io.helios.service.security.TenantGuard;
import io.helios.service.web.ApiException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.helios.migration.migration.MigrationPhase.*;

/**
 * What the API asks of migrations: create one (checked against the control plane's directory),
 * and record an operator's cutover, abort, rollback or complete request for the driver to act on.
 * Thread-safe.
 */
@Service
public class MigrationService {

    private static final Logger log = LoggerFactory.getLogger(MigrationService.class);

    private final MigrationRepository repository;
    private final ControlPlaneClient controlPlane;

    private final TenantGuard guard;

    MigrationService(MigrationRepository repository, ControlPlaneClient controlPlane, TenantGuard guard) {
        this.repository = repository;
        this.controlPlane = controlPlane;
        this.guard = guard;
    }

    public Migration create(MigrationRequest r) {
        Route route;
        try {
            route = controlPlane.route(r.tenantId());
            Map<String, String> target = controlPlane.endpoint(r.targetEndpointId());
            if (guard.access().restricted()) {
                requireUsable(r, target);
            }
        } catch (ControlPlaneException e) {
            if (e.notFound()) {
                throw new ApiException(HttpStatus.NOT_FOUND, "unknown-reference", "Unknown reference", e.getMessage()
                        .contains("/endpoints/") ? "targetEndpointId: '" + r.targetEndpointId() + "' does not exist"
                        : "tenantId: tenant '" + r.tenantId() + "' does not exist or has no route");
            }
            throw new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "control-plane-unavailable", "Control plane unavailable",
                    "the control plane did not answer; retry");
        }
        if (route.primaryEndpointId().equals(r.targetEndpointId())) {
            throw ApiException.unprocessable("already-there", "Already there",
                    "tenant '" + r.tenantId() + "' is already served by endpoint " + r.targetEndpointId());
        }
        repository.activeOfTenant(r.tenantId()).ifPresent(m -> {
            throw ApiException.conflict("migration-in-progress", "Migration in progress",
                    "tenant '" + r.tenantId() + "' already has migration " + m.id() + " in phase " + m.phase());
        });
        Migration m = new Migration(UUID.randomUUID(), r.tenantId(), route.primaryEndpointId(), r.targetEndpointId(),
                r.targetSchema(), r.tenancyModel(), r.sourceSchema(), r.discriminatorColumn(), r.cutover(), r.pauseMs(),
                r.lagMs(), r.keepReverse() == null || r.keepReverse(), r.cleanupSource() != null && r.cleanupSource(),
                PLANNED, Migration.Direction.FORWARD, null, null, false, null, route.routingEpoch(), false, false, false,
                false, 0, null, null, null, null, null, 0, null, null, null, null, null);
        try {
            repository.insert(m);
        } catch (DuplicateKeyException e) {
            throw ApiException.conflict("migration-in-progress", "Migration in progress",
                    "tenant '" + r.tenantId() + "' already has a migration under way");
        }
        log.info("migration {} of tenant {} planned: {} -> {}, cutover {}, pause budget {} ms", m.id(), m.tenantId(),
                m.sourceEndpointId(), m.targetEndpointId(), m.cutoverMode(), m.maxWritePauseMs());
        return get(m.id());
    }

    /**
     * A tenant-restricted caller moves its tenant only onto an endpoint the tenant owns, was granted, or
     * already replicates to or from: the service's own token could otherwise put the tenant's data on
     * another tenant's endpoint for it.
     */
    private void requireUsable(MigrationRequest r, Map<String, String> target) {
        String owner = target.get("owner");
        if (r.tenantId().equals(owner)) {
            return;
        }
        if (owner.isEmpty() && (controlPlane.grantedEndpoints(r.tenantId()).contains(r.targetEndpointId())
                || controlPlane.replicationsOf(r.tenantId()).stream().anyMatch(x ->
                x.targetEndpointId().equals(r.targetEndpointId()) || x.sourceEndpointId().equals(r.targetEndpointId())))) {
            return;
        }
        throw new ApiException(HttpStatus.FORBIDDEN, "forbidden", "Forbidden", "targetEndpointId: endpoint '"
                + r.targetEndpointId() + "' is neither owned by, granted to, nor replicated to by tenant '" + r.tenantId()
                + "'; your token is limited to " + guard.access());
    }

    public Migration get(UUID id) {
        return repository.find(id).orElseThrow(() -> ApiException.notFound("migration", id));
    }

    public List<Migration> listAfter(UUID after, int limit) {
        return repository.listAfter(after, limit);
    }

    public Migration cutover(UUID id) {
        return request(id, "cutover_requested", List.of(PLANNED, COPYING, CATCHING_UP, READY), "cut over");
    }

    public Migration abort(UUID id) {
        return request(id, "abort_requested", List.of(PLANNED, COPYING, CATCHING_UP, READY, CUTTING_OVER), "abort");
    }

    public Migration rollback(UUID id) {
        return request(id, "rollback_requested", List.of(REVERSE_REPLICATING), "roll back");
    }

    public Migration complete(UUID id) {
        return request(id, "complete_requested", List.of(REVERSE_REPLICATING), "complete");
    }

    private Migration request(UUID id, String flag, List<MigrationPhase> allowed, String verb) {
        Migration m = get(id);
        if (!repository.request(id, flag, allowed)) {
            throw ApiException.conflict("illegal-transition", "Illegal lifecycle transition",
                    "cannot " + verb + " a migration in phase " + get(id).phase() + " (allowed in " + allowed + ")");
        }
        log.info("migration {} of tenant {}: {} requested", id, m.tenantId(), verb);
        return get(id);
    }
}
