package io.helios.controlplane.tenant;

import org.springframework.web.bind.annotation.RequestParam;
import io.swagger.v3.oas.annotations.Parameter;
import io.helios.service.web.Paging;
import io.helios.service.web.ListPage;
import io.helios.service.security.TenantGuard;
import io.helios.service.web.ApiException;
import io.helios.service.web.ProblemResponses;
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

/** REST resource for tenants: {@code /api/v1/tenants}. */
@RestController
@RequestMapping("/api/v1/tenants")
@Tag(name = "Tenants", description = "Tenants of the SaaS and their primary endpoint")
class TenantController {

    private final TenantService service;
    private final TenantGuard guard;

    TenantController(TenantService service, TenantGuard guard) {
        this.service = service;
        this.guard = guard;
    }

    @PostMapping
    @Operation(summary = "Declare a tenant")
    @ProblemResponses({400, 403, 404, 409})
    ResponseEntity<TenantView> create(@Valid @RequestBody TenantRequest request) {
        // the id first: the guard's answer about a tenant that is not named would be meaningless
        TenantService.requireValidId(request.id());
        guard.requireForCreation(request.id());
        TenantView view = TenantView.of(service.create(request));
        return ResponseEntity.created(URI.create("/api/v1/tenants/" + view.id())).body(view);
    }

    @GetMapping
    @Operation(summary = "List tenants", description = "One page in id order; follow `next` for the rest.")
    @ProblemResponses({400})
    ListPage<TenantView> list(
            @Parameter(description = "Items per page, 1 to 1000 (default 100)") @RequestParam(required = false) Integer limit,
            @Parameter(description = "The `next` of the previous page") @RequestParam(required = false) String cursor) {
        return Paging.of(limit, cursor).collect(id -> id, service::listAfter, Tenant::id,
                t -> guard.visible(t.id()), TenantView::of);
    }

    @GetMapping("/{id}")
    @Operation(summary = "Read a tenant")
    @ProblemResponses({404})
    TenantView get(@PathVariable String id) {
        visible(id);
        return TenantView.of(service.get(id));
    }

    @PutMapping("/{id}")
    @Operation(summary = "Change a tenant", description = "A new primary endpoint bumps the routing epoch.")
    @ProblemResponses({400, 404})
    TenantView update(@PathVariable String id, @Valid @RequestBody TenantRequest request) {
        visible(id);
        return TenantView.of(service.update(id, request));
    }

    @DeleteMapping("/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(summary = "Remove a tenant", description = "Refused while a replication of the tenant exists.")
    @ProblemResponses({404, 409})
    void delete(@PathVariable String id) {
        visible(id);
        service.delete(id);
    }

    private void visible(String id) {
        guard.require(id, () -> ApiException.notFound("tenant", id));
    }
}
