package io.helios.controlplane.tenant;

import io.helios.controlplane.web.ProblemResponses;
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

    TenantController(TenantService service) {
        this.service = service;
    }

    @PostMapping
    @Operation(summary = "Declare a tenant")
    @ProblemResponses({400, 404, 409})
    ResponseEntity<TenantView> create(@Valid @RequestBody TenantRequest request) {
        TenantView view = TenantView.of(service.create(request));
        return ResponseEntity.created(URI.create("/api/v1/tenants/" + view.id())).body(view);
    }

    @GetMapping
    @Operation(summary = "List tenants")
    List<TenantView> list() {
        return service.list().stream().map(TenantView::of).toList();
    }

    @GetMapping("/{id}")
    @Operation(summary = "Read a tenant")
    @ProblemResponses({404})
    TenantView get(@PathVariable String id) {
        return TenantView.of(service.get(id));
    }

    @PutMapping("/{id}")
    @Operation(summary = "Change a tenant", description = "A new primary endpoint bumps the routing epoch.")
    @ProblemResponses({400, 404})
    TenantView update(@PathVariable String id, @Valid @RequestBody TenantRequest request) {
        return TenantView.of(service.update(id, request));
    }

    @DeleteMapping("/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(summary = "Remove a tenant", description = "Refused while a replication of the tenant exists.")
    @ProblemResponses({404, 409})
    void delete(@PathVariable String id) {
        service.delete(id);
    }
}
