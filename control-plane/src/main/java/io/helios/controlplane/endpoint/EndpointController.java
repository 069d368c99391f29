package io.helios.controlplane.endpoint;

import org.springframework.web.bind.annotation.RequestParam;
import io.swagger.v3.oas.annotations.Parameter;
import io.helios.service.web.Paging;
import io.helios.service.web.ListPage;
import io.helios.service.security.TenantGuard;
import io.helios.service.web.ApiException;
import io.helios.service.web.ProblemResponses;
import io.helios.security.TenantAccess;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import java.net.URI;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/** REST resource for endpoints: {@code /api/v1/endpoints}. */
@RestController
@RequestMapping("/api/v1/endpoints")
@Tag(name = "Endpoints", description = "PostgreSQL databases Helios replicates from or to")
class EndpointController {

    private final EndpointService service;
    private final TenantGuard guard;

    EndpointController(EndpointService service, TenantGuard guard) {
        this.service = service;
        this.guard = guard;
    }

    @PostMapping
    @Operation(summary = "Register an endpoint",
            description = "Connects with a bounded timeout and runs SELECT 1 first; the password is stored encrypted.")
    @ProblemResponses({400, 409, 422})
    ResponseEntity<EndpointView> create(@Valid @RequestBody EndpointRequest request) {
        EndpointView view = EndpointView.of(service.create(request));
        return ResponseEntity.created(URI.create("/api/v1/endpoints/" + view.id())).body(view);
    }

    @GetMapping
    @Operation(summary = "List endpoints", description = "A token limited to some tenants sees the endpoints its tenants "
            + "use (primary, or source or target of their replications). One page in id order; follow `next` for the rest.")
    @ProblemResponses({400})
    ListPage<EndpointView> list(
            @Parameter(description = "Items per page, 1 to 1000 (default 100)") @RequestParam(required = false) Integer limit,
            @Parameter(description = "The `next` of the previous page") @RequestParam(required = false) String cursor) {
        Paging paging = Paging.of(limit, cursor);
        TenantAccess access = guard.access();
        Set<UUID> used = access.all() ? Set.of() : service.usedByTenants(access.tenants());
        return paging.collect(UUID::fromString, service::listAfter, Endpoint::id,
                e -> access.all() || used.contains(e.id()), EndpointView::of);
    }

    @GetMapping("/{id}")
    @Operation(summary = "Read an endpoint")
    @ProblemResponses({400, 404})
    EndpointView get(@PathVariable UUID id) {
        Endpoint e = service.get(id);
        TenantAccess access = guard.access();
        if (access.restricted() && !service.usedByTenants(access.tenants()).contains(id)) {
            throw ApiException.notFound("endpoint", id);
        }
        return EndpointView.of(e);
    }

    @PutMapping("/{id}")
    @Operation(summary = "Change an endpoint", description = "Omit the password to keep the stored one. Re-checks reachability.")
    @ProblemResponses({400, 404, 409, 422})
    EndpointView update(@PathVariable UUID id, @Valid @RequestBody EndpointRequest request) {
        return EndpointView.of(service.update(id, request));
    }

    @DeleteMapping("/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(summary = "Remove an endpoint", description = "Refused while a replication or tenant refers to it.")
    @ProblemResponses({400, 404, 409})
    void delete(@PathVariable UUID id) {
        service.delete(id);
    }
}
