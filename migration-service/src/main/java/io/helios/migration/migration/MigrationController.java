package io.helios.migration.migration;

import io.helios.service.security.TenantGuard;
import io.helios.service.web.ApiException;
import io.helios.service.web.ListPage;
import io.helios.service.web.Paging;
import io.helios.service.web.ProblemResponses;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.net.URI;
import java.util.UUID;

/**
 * {@code /api/v1/migrations}: plan a migration, follow it, and ask for its cutover (MANUAL), abort,
 * rollback or completion. Requests are recorded; the driver acts on them within a tick. A
 * tenant-restricted caller sees and acts on its tenants' migrations only (others answer 404).
 */
@RestController
@RequestMapping("/api/v1/migrations")
@Tag(name = "Migrations", description = "Live migration of a tenant to another endpoint")
class MigrationController {

    private final MigrationService service;
    private final TenantGuard guard;

    MigrationController(MigrationService service, TenantGuard guard) {
        this.service = service;
        this.guard = guard;
    }

    @PostMapping
    @Operation(summary = "Plan a migration", description = "Created in phase PLANNED; the service copies, catches up and "
            + "(AUTO) cuts over on its own.")
    @ProblemResponses({400, 404, 409, 422, 503})
    ResponseEntity<MigrationView> create(@Valid @RequestBody MigrationRequest request) {
        guard.requireForCreation(request.tenantId());
        MigrationView view = MigrationView.of(service.create(request));
        return ResponseEntity.created(URI.create("/api/v1/migrations/" + view.id())).body(view);
    }

    @GetMapping
    @Operation(summary = "List migrations", description = "One page in id order; follow `next` for the rest.")
    @ProblemResponses({400})
    ListPage<MigrationView> list(
            @Parameter(description = "Items per page, 1 to 1000 (default 100)") @RequestParam(required = false) Integer limit,
            @Parameter(description = "The `next` of the previous page") @RequestParam(required = false) String cursor) {
        return Paging.of(limit, cursor).collect(UUID::fromString, service::listAfter, Migration::id,
                m -> guard.visible(m.tenantId()), MigrationView::of);
    }

    @GetMapping("/{id}")
    @Operation(summary = "Read a migration", description = "Phase, rows copied, percent, ETA, lag and the cutover's "
            + "measured write pause.")
    @ProblemResponses({400, 404})
    MigrationView get(@PathVariable UUID id) {
        return MigrationView.of(visible(id));
    }

    @PostMapping("/{id}/cutover")
    @Operation(summary = "Cut over", description = "MANUAL: cut over as soon as the lag is under the bound.")
    @ProblemResponses({400, 404, 409})
    MigrationView cutover(@PathVariable UUID id) {
        visible(id);
        return MigrationView.of(service.cutover(id));
    }

    @PostMapping("/{id}/abort")
    @Operation(summary = "Abort", description = "Any time before the cutover commits: the tenant stays where it was.")
    @ProblemResponses({400, 404, 409})
    MigrationView abort(@PathVariable UUID id) {
        visible(id);
        return MigrationView.of(service.abort(id));
    }

    @PostMapping("/{id}/rollback")
    @Operation(summary = "Roll back", description = "After the cutover, while the reverse replication runs: move the "
            + "tenant back with the same protocol.")
    @ProblemResponses({400, 404, 409})
    MigrationView rollback(@PathVariable UUID id) {
        visible(id);
        return MigrationView.of(service.rollback(id));
    }

    @PostMapping("/{id}/complete")
    @Operation(summary = "Complete", description = "After the cutover: stop the reverse replication and finish (no "
            + "rollback any more).")
    @ProblemResponses({400, 404, 409})
    MigrationView complete(@PathVariable UUID id) {
        visible(id);
        return MigrationView.of(service.complete(id));
    }

    private Migration visible(UUID id) {
        Migration m = service.get(id);
        guard.require(m.tenantId(), () -> ApiException.notFound("migration", id));
        return m;
    }
}
