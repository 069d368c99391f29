package io.helios.controlplane.tenant;

import io.helios.controlplane.endpoint.Endpoint;
import io.helios.controlplane.endpoint.EndpointService;
import io.helios.service.security.TenantGuard;
import io.helios.service.web.ApiException;
import io.helios.service.web.ProblemResponses;
import io.helios.core.tenant.Identifiers;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import java.util.List;
import java.util.UUID;

/**
 * REST resource for what a tenant owns: the schemas it claims on endpoints and the shared
 * endpoints granted to it ({@code /api/v1/tenants/{id}/schemas}, {@code .../endpoints}).
 * Grants are for unrestricted admins (the access table); a tenant-restricted admin may claim
 * and release exclusive claims only on endpoints its tenant owns.
 */
@RestController
@RequestMapping("/api/v1/tenants/{id}")
@Tag(name = "Tenant ownership", description = "Schemas a tenant claims and shared endpoints granted to it")
class TenantOwnershipController {

    private final TenantService tenants;
    private final SchemaClaims claims;
    private final EndpointGrants grants;
    private final EndpointService endpoints;
    private final TenantGuard guard;

    TenantOwnershipController(TenantService tenants, SchemaClaims claims, EndpointGrants grants,
                              EndpointService endpoints, TenantGuard guard) {
        this.tenants = tenants;
        this.claims = claims;
        this.grants = grants;
        this.endpoints = endpoints;
        this.guard = guard;
    }

    @GetMapping("/schemas")
    @Operation(summary = "Schemas the tenant claims")
    @ProblemResponses({404})
    List<SchemaClaim> schemas(@PathVariable String id) {
        tenant(id);
        return claims.ofTenant(id);
    }

    @PutMapping("/schemas/{endpointId}/{schema}")
    @Operation(summary = "Claim a schema", description = "Exclusive by default; 409 when another tenant's claim "
            + "excludes it. A tenant-restricted admin may claim exclusively on endpoints its tenant owns only.")
    @ProblemResponses({400, 403, 404, 409})
    SchemaClaim claim(@PathVariable String id, @PathVariable UUID endpointId, @PathVariable String schema,
                      @RequestBody(required = false) SchemaClaimRequest request) {
        boolean shared = request != null && request.isShared();
        tenant(id);
        requireSchemaName(schema);
        requireMayManage(id, endpointId, shared);
        return claims.claim(id, endpointId, schema, shared);
    }

    @DeleteMapping("/schemas/{endpointId}/{schema}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(summary = "Release a schema claim")
    @ProblemResponses({400, 403, 404})
    void release(@PathVariable String id, @PathVariable UUID endpointId, @PathVariable String schema) {
        tenant(id);
        requireMayManage(id, endpointId, false);
        claims.release(id, endpointId, schema);
    }

    @GetMapping("/endpoints")
    @Operation(summary = "Shared endpoints granted to the tenant")
    @ProblemResponses({404})
    List<EndpointGrant> grants(@PathVariable String id) {
        tenant(id);
        return grants.ofTenant(id);
    }

    @PutMapping("/endpoints/{endpointId}")
    @Operation(summary = "Grant an endpoint to the tenant", description = "Unrestricted admins only.")
    @ProblemResponses({400, 404})
    EndpointGrant grant(@PathVariable String id, @PathVariable UUID endpointId) {
        tenant(id);
        endpoint(endpointId);
        return grants.grant(id, endpointId);
    }

    @DeleteMapping("/endpoints/{endpointId}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(summary = "Withdraw an endpoint grant", description = "Unrestricted admins only.")
    @ProblemResponses({400, 404})
    void revoke(@PathVariable String id, @PathVariable UUID endpointId) {
        tenant(id);
        grants.revoke(id, endpointId);
    }

    private void tenant(String id) {
        guard.require(id, () -> ApiException.notFound("tenant", id));
        tenants.get(id);
    }

    private Endpoint endpoint(UUID endpointId) {
        return endpoints.find(endpointId).orElseThrow(() -> ApiException.unknownReference("endpointId", endpointId));
    }

    private static void requireSchemaName(String schema) {
        if (!Identifiers.isValid(schema)) {
            throw ApiException.invalid("schema", "'" + schema + "' is not a valid identifier");
        }
    }

    /** A restricted caller manages exclusive claims on its tenant's own endpoints only. */
    private void requireMayManage(String tenantId, UUID endpointId, boolean shared) {
        Endpoint endpoint = endpoint(endpointId);
        if (guard.access().all()) {
            return;
        }
        if (shared) {
            throw forbidden("a shared schema claim needs a token valid for all tenants");
        }
        if (!endpoint.ownedBy(tenantId)) {
            throw forbidden("endpoint '" + endpointId + "' is not owned by tenant '" + tenantId
                    + "'; claims on it need a token valid for all tenants");
        }
    }

    static ApiException forbidden(String detail) {
        return new ApiException(HttpStatus.FORBIDDEN, "forbidden", "Forbidden", detail);
    }
}
