package io.helios.controlplane.replication;

import io.helios.controlplane.endpoint.Endpoint;
import io.helios.controlplane.endpoint.EndpointService;
import io.helios.service.security.TenantGuard;
import io.helios.controlplane.tenant.EndpointGrants;
import io.helios.controlplane.tenant.SchemaClaim;
import io.helios.controlplane.tenant.SchemaClaims;
import io.helios.service.web.ApiException;
import io.helios.core.tenant.TenancyModel;
import io.helios.core.tenant.TenantScope;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

import java.util.Optional;
import java.util.UUID;

/**
 * Keeps a replication's definition within its tenant's boundaries, on create and update.
 * <ul>
 *   <li>A tenant-restricted caller ({@link #requireWithinCallerReach}) may not use the DATABASE
 *   model (it copies every schema of a database), may use only endpoints its replication's
 *   tenant owns or was granted, and only schemas that tenant claims: exclusively for the SCHEMA
 *   model, exclusively or as shared tables for ROW. Refusals are 403 with the reason; an endpoint
 *   that does not exist is refused the same way, so that a restricted caller learns nothing.</li>
 *   <li>Every caller ({@link #requireTargetFree}): the replication may not write into an endpoint
 *   owned by another tenant, nor into a schema another tenant claims (exclusively; for the SCHEMA
 *   model, whose copy truncates the schema, any claim), nor, with the DATABASE model, into a
 *   database where another tenant claims a schema. Refusals are 409.</li>
 * </ul>
 * Reads the caller from the request thread ({@link TenantGuard}); outside a request no caller is
 * restricted. Stateless.
 */
@Component
class TenantBoundaries {

    private final TenantGuard guard;
    private final EndpointService endpoints;
    private final EndpointGrants grants;
    private final SchemaClaims claims;

    TenantBoundaries(TenantGuard guard, EndpointService endpoints, EndpointGrants grants, SchemaClaims claims) {
        this.guard = guard;
        this.endpoints = endpoints;
        this.grants = grants;
        this.claims = claims;
    }

    /** For a tenant-restricted caller: the model, the endpoints and the schemas are its tenant's. */
    void requireWithinCallerReach(ReplicationRequest r, TenantScope scope) {
        if (guard.access().all()) {
            return;
        }
        String tenant = r.tenantId();
        if (r.tenancyModel() == TenancyModel.DATABASE) {
            throw forbidden("tenancyModel: the DATABASE model copies every schema of the source database; it needs a "
                    + "token valid for all tenants");
        }
        requireUsable("sourceEndpointId", tenant, r.sourceEndpointId());
        requireUsable("targetEndpointId", tenant, r.targetEndpointId());
        boolean exclusive = r.tenancyModel() == TenancyModel.SCHEMA;
        requireClaimed("sourceSchema", tenant, r.sourceEndpointId(), scope.sourceSchema(), exclusive);
        requireClaimed("targetSchema", tenant, r.targetEndpointId(), scope.targetSchema(), exclusive);
    }

    /** For every caller: nothing the replication writes belongs to another tenant. Endpoints exist. */
    void requireTargetFree(ReplicationRequest r, TenantScope scope) {
        String tenant = r.tenantId();
        UUID target = r.targetEndpointId();
        Endpoint endpoint = endpoints.get(target);
        if (endpoint.ownerTenantId() != null && !endpoint.ownedBy(tenant)) {
            throw ApiException.conflict("endpoint-owned", "Endpoint owned by another tenant", "targetEndpointId: "
                    + "endpoint '" + target + "' is owned by tenant '" + endpoint.ownerTenantId() + "'");
        }
        if (r.tenancyModel() == TenancyModel.DATABASE) {
            claims.onEndpoint(target).stream().filter(c -> !c.tenantId().equals(tenant)).findFirst().ifPresent(c -> {
                throw ApiException.conflict("schema-claimed", "Schema claimed by another tenant", "targetEndpointId: "
                        + "a DATABASE replication writes every schema of endpoint '" + target + "', and schema '"
                        + c.schemaName() + "' there is claimed by tenant '" + c.tenantId() + "'");
            });
            return;
        }
        boolean truncates = r.tenancyModel() == TenancyModel.SCHEMA;
        for (SchemaClaim c : claims.on(target, scope.targetSchema())) {
            if (!c.tenantId().equals(tenant) && (truncates || c.exclusive())) {
                throw SchemaClaims.claimedBy(target, scope.targetSchema(), c);
            }
        }
    }

    private void requireUsable(String field, String tenant, UUID endpointId) {
        boolean owned = endpoints.find(endpointId).map(e -> e.ownedBy(tenant)).orElse(false);
        if (!owned && !grants.isGranted(tenant, endpointId)) {
            throw forbidden(field + ": endpoint '" + endpointId + "' is neither owned by nor granted to tenant '"
                    + tenant + "'");
        }
    }

    private void requireClaimed(String field, String tenant, UUID endpointId, String schema, boolean exclusive) {
        Optional<SchemaClaim> claim = claims.of(tenant, endpointId, schema);
        if (claim.isEmpty() || (exclusive && !claim.get().exclusive())) {
            throw forbidden(field + ": schema '" + schema + "' on endpoint '" + endpointId + "' is not claimed "
                    + (exclusive ? "exclusively " : "") + "by tenant '" + tenant + "'");
        }
    }

    private static ApiException forbidden(String detail) {
        return new ApiException(HttpStatus.FORBIDDEN, "forbidden", "Forbidden", detail);
    }
}
