package io.helios.controlplane.routing;

import io.helios.controlplane.endpoint.Endpoint;
import io.helios.controlplane.endpoint.EndpointService;
import io.helios.controlplane.replication.Replication;
import io.helios.controlplane.replication.ReplicationService;
import io.helios.controlplane.security.TenantGuard;
import io.helios.controlplane.tenant.Tenant;
import io.helios.controlplane.tenant.TenantService;
import io.helios.controlplane.web.ApiException;
import io.helios.controlplane.web.ProblemResponses;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.HttpStatus;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

import java.util.UUID;

/**
 * The tenant routing directory: {@code GET /api/v1/tenants/{id}/route}. The primary is the
 * tenant's declared primary endpoint, else the source of its oldest replication.
 */
@RestController
@Tag(name = "Routing", description = "Where each tenant is served")
class RoutingController {

    private final TenantService tenants;
    private final ReplicationService replications;
    private final EndpointService endpoints;
    private final TenantGuard guard;

    RoutingController(TenantService tenants, ReplicationService replications, EndpointService endpoints,
                      TenantGuard guard) {
        this.tenants = tenants;
        this.replications = replications;
        this.endpoints = endpoints;
        this.guard = guard;
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
}
