package io.helios.controlplane.routing;

import io.helios.controlplane.endpoint.Endpoint;
import io.helios.controlplane.endpoint.EndpointService;
import io.helios.controlplane.events.RouteChanged;
import io.helios.controlplane.tenant.EndpointGrants;
import io.helios.controlplane.replication.Replication;
import io.helios.controlplane.replication.ReplicationService;
import io.helios.service.security.TenantGuard;
import io.helios.controlplane.tenant.Tenant;
import io.helios.controlplane.tenant.TenantService;
import io.helios.service.web.ApiException;
import io.helios.service.web.ProblemResponses;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.http.HttpStatus;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import java.time.Clock;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

/**
 * The tenant routing directory: {@code GET /api/v1/tenants/{id}/route}. The primary is the
 * tenant's declared primary endpoint, else the source of its oldest replication. The services
 * that fence and cut over move it with {@code POST} (compare-and-set on the routing epoch).
 */
@RestController
@Tag(name = "Routing", description = "Where each tenant is served")
class RoutingController {

    private final TenantService tenants;
    private final ReplicationService replications;
    private final EndpointService endpoints;
    private final TenantGuard guard;
    private final EndpointGrants grants;
    private final ApplicationEventPublisher events;
    private final Clock clock;

    RoutingController(TenantService tenants, ReplicationService replications, EndpointService endpoints,
                      TenantGuard guard, EndpointGrants grants, ApplicationEventPublisher events, Clock clock) {
        this.tenants = tenants;
        this.replications = replications;
        this.endpoints = endpoints;
        this.guard = guard;
        this.grants = grants;
        this.events = events;
        this.clock = clock;
    }

    @GetMapping("/api/v1/tenants/{id}/route")
    @Transactional(readOnly = true)
    @Operation(summary = "Current route of a tenant", description = "Primary endpoint and routing epoch.")
    @ProblemResponses({404})
    RouteView route(@PathVariable String id) {
        guard.require(id, () -> ApiException.notFound("tenant", id));
        Tenant tenant = tenants.get(id);
        UUID primary = tenant.primaryEndpointId();
        String basis = "DECLARED";
        if (primary == null) {
            primary = replications.ofTenant(id).stream().findFirst()
                    .map(Replication::sourceEndpointId)
                    .orElseThrow(() -> new ApiException(HttpStatus.NOT_FOUND, "no-route", "No route",
                            "tenant '" + id + "' has no primary endpoint and no replication"));
            basis = "REPLICATION_SOURCE";
        }
        Endpoint e = endpoints.get(primary);
        return new RouteView(id, e.id(), e.name(), e.region(), e.jdbcUrl(), tenant.routingEpoch(), basis);
    }

    @PostMapping("/api/v1/internal/tenants/{id}/route")
    @Transactional
    @Operation(summary = "Move a tenant's primary (internal services)", description = "Role `service` only: the "
            + "migration cutover and the failover move the route after fencing the old primary. Compare-and-set: "
            + "refused (409 stale-routing-epoch) unless the tenant is still at `expectedEpoch`, so of two movers "
            + "exactly one wins. The new primary must be owned by, granted to or replicated to by the tenant. "
            + "Publishes `tenant.route.changed` on the `helios.events` exchange after the commit.")
    @ProblemResponses({400, 403, 404, 409})
    RouteView move(@PathVariable String id, @Valid @RequestBody RouteChange change) {
        Tenant before = tenants.get(id);
        UUID previous = before.primaryEndpointId();
        if (previous == null) {
            previous = replications.ofTenant(id).stream().findFirst().map(Replication::sourceEndpointId).orElse(null);
        }
        requireUsable(id, change.primaryEndpointId());
        Tenant moved = tenants.move(id, change.primaryEndpointId(), change.expectedEpoch());
        Endpoint e = endpoints.get(moved.primaryEndpointId());
        String reason = Objects.requireNonNullElse(change.reason(), "");
        events.publishEvent(new RouteChanged(id, e.id(), e.region(), moved.routingEpoch(), previous, reason,
                clock.instant()));
        return new RouteView(id, e.id(), e.name(), e.region(), e.jdbcUrl(), moved.routingEpoch(), "DECLARED");
    }

    /** The tenant owns the endpoint, was granted it, or one of its replications reads or writes it. */
    private void requireUsable(String tenant, UUID endpointId) {
        Endpoint e = endpoints.find(endpointId)
                .orElseThrow(() -> ApiException.unknownReference("primaryEndpointId", endpointId));
        if (e.ownedBy(tenant) || grants.isGranted(tenant, endpointId)
                || endpoints.usedByTenants(Set.of(tenant)).contains(endpointId)) {
            return;
        }
        throw new ApiException(HttpStatus.FORBIDDEN, "forbidden", "Forbidden", "primaryEndpointId: endpoint '"
                + endpointId + "' is neither owned by, granted to, nor replicated to by tenant '" + tenant + "'");
    }
}
