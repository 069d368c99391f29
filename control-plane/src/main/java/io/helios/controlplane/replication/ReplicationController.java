package io.helios.controlplane.replication;

import io.helios.service.web.Paging;
import io.helios.service.web.ListPage;
import io.helios.controlplane.replication.ReplicationState.Action;
import io.helios.service.security.TenantGuard;
import io.helios.service.web.ApiException;
import io.helios.service.web.ProblemResponses;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
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
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import java.net.URI;
import java.util.List;
import java.util.UUID;

/** REST resource for replications and their lifecycle: {@code /api/v1/replications}. */
@RestController
@RequestMapping("/api/v1/replications")
@Tag(name = "Replications", description = "Tenant replications, their lifecycle and status")
class ReplicationController {

    private final ReplicationService service;
    private final ReplicationLifecycle lifecycle;
    private final ReplicationStatusReader status;
    private final TenantGuard guard;

    ReplicationController(ReplicationService service, ReplicationLifecycle lifecycle, ReplicationStatusReader status,
                          TenantGuard guard) {
        this.service = service;
        this.lifecycle = lifecycle;
        this.status = status;
        this.guard = guard;
    }

    @PostMapping
    @Operation(summary = "Declare a replication", description = "Created in state CREATED; start it to run it.")
    @ProblemResponses({400, 404, 409})
    ResponseEntity<ReplicationView> create(@Valid @RequestBody ReplicationRequest request) {
        tenantReference(request);
        ReplicationView view = ReplicationView.of(service.create(request));
        return ResponseEntity.created(URI.create("/api/v1/replications/" + view.id())).body(view);
    }

    @GetMapping
    @Operation(summary = "List replications", description = "One page in id order; follow `next` for the rest.")
    @ProblemResponses({400})
    ListPage<ReplicationView> list(
            @Parameter(description = "Items per page, 1 to 1000 (default 100)") @RequestParam(required = false) Integer limit,
            @Parameter(description = "The `next` of the previous page") @RequestParam(required = false) String cursor) {
        return Paging.of(limit, cursor).collect(UUID::fromString, service::listAfter, Replication::id,
                r -> guard.visible(r.tenantId()), ReplicationView::of);
    }

    @GetMapping("/{id}")
    @Operation(summary = "Read a replication")
    @ProblemResponses({400, 404})
    ReplicationView get(@PathVariable UUID id) {
        return ReplicationView.of(visible(id));
    }

    @PutMapping("/{id}")
    @Operation(summary = "Change a replication", description = "Only in state CREATED or STOPPED.")
    @ProblemResponses({400, 404, 409})
    ReplicationView update(@PathVariable UUID id, @Valid @RequestBody ReplicationRequest request) {
        visible(id);
        tenantReference(request);
        return ReplicationView.of(service.update(id, request));
    }

    @GetMapping("/{id}/status")
    @Operation(summary = "Status of a replication", description = "State, lease holder, and the holder's last report.")
    @ProblemResponses({400, 404})
    ReplicationStatusView status(@PathVariable UUID id) {
        visible(id);
        return status.read(id);
    }

    @PostMapping("/{id}/start")
    @Operation(summary = "Start", description = "CREATED, STOPPED or FAILED -> RUNNING.")
    @ProblemResponses({400, 404, 409})
    ReplicationView start(@PathVariable UUID id) {
        visible(id);
        return ReplicationView.of(lifecycle.apply(id, Action.START));
    }

    @PostMapping("/{id}/pause")
    @Operation(summary = "Pause", description = "RUNNING -> PAUSED; the worker keeps the lease and streams nothing.")
    @ProblemResponses({400, 404, 409})
    ReplicationView pause(@PathVariable UUID id) {
        visible(id);
        return ReplicationView.of(lifecycle.apply(id, Action.PAUSE));
    }

    @PostMapping("/{id}/resume")
    @Operation(summary = "Resume", description = "PAUSED -> RUNNING.")
    @ProblemResponses({400, 404, 409})
    ReplicationView resume(@PathVariable UUID id) {
        visible(id);
        return ReplicationView.of(lifecycle.apply(id, Action.RESUME));
    }

    @PostMapping("/{id}/stop")
    @Operation(summary = "Stop", description = "RUNNING, PAUSED or FAILED -> STOPPED: revokes the lease, drops the slot and "
            + "publication on the source and the checkpoint on the target; answers when they are gone. "
            + "Repeating it on a STOPPED replication repeats the cleanup.")
    @ProblemResponses({400, 404, 409, 503})
    ReplicationView stop(@PathVariable UUID id) {
        visible(id);
        return ReplicationView.of(lifecycle.stop(id));
    }

    @DeleteMapping("/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(summary = "Delete a replication", description = "From any state; cleans like stop, then removes it.")
    @ProblemResponses({400, 404, 503})
    void delete(@PathVariable UUID id,
                @Parameter(description = "Skip the cleanup of endpoints that are gone for good (may leave a slot behind)")
                @RequestParam(defaultValue = "false") boolean force) {
        visible(id);
        lifecycle.delete(id, force);
    }

    /** The replication, when it exists and its tenant is the caller's; otherwise the same 404. */
    private Replication visible(UUID id) {
        Replication r = service.get(id);
        guard.require(r.tenantId(), () -> ApiException.notFound("replication", id));
        return r;
    }

    /** A tenant the caller may not see is, to it, a tenant that does not exist. */
    private void tenantReference(ReplicationRequest request) {
        if (request.tenantId() != null) {
            guard.require(request.tenantId(), () -> ApiException.unknownReference("tenantId", request.tenantId()));
        }
    }
}
