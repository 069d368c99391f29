package io.helios.failover.failover;

import io.helios.service.security.TenantGuard;
import io.helios.service.web.ApiException;
import io.helios.service.web.ProblemResponses;
import io.helios.security.Caller;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.util.List;
import java.util.UUID;

/** {@code /api/v1/failovers}: manual failover and its dry run, failovers, their quarantined writes, failback. */
@RestController
@RequestMapping("/api/v1/failovers")
@Tag(name = "Failovers", description = "Tenant failovers, quarantined writes of old primaries, failback")
class FailoverController {

    private final Failovers failovers;

    FailoverController(Failovers failovers) {
        this.failovers = failovers;
    }

    @PostMapping
    @Operation(summary = "Fail a tenant over to its replica now, or ask what would happen (dryRun)",
            description = "201 with the failover; 200 with the answer of a dry run; 422 when a condition is not met.",
            responses = {
                    @ApiResponse(responseCode = "201", description = "The failover (PROMOTED, or PROMOTING with an error it retries)",
                            content = @Content(schema = @Schema(implementation = FailoverView.class))),
                    @ApiResponse(responseCode = "200", description = "Dry run: what would happen and why",
                            content = @Content(schema = @Schema(implementation = DryRunView.class)))})
    @ProblemResponses({400, 409, 422})
    ResponseEntity<Object> failover(@Valid @RequestBody FailoverRequest request) {
        Object answer = failovers.manual(request, caller());
        return ResponseEntity.status(request.isDryRun() ? HttpStatus.OK : HttpStatus.CREATED).body(answer);
    }

    @GetMapping
    @Operation(summary = "Recent failovers, newest first (a restricted token sees its tenants' only)")
    @ProblemResponses({400})
    List<FailoverView> list(@RequestParam(defaultValue = "100") int limit) {
        if (limit < 1 || limit > 1000) {
            throw ApiException.invalid("limit", "must be between 1 and 1000");
        }
        return failovers.list(limit).stream().map(FailoverView::of).toList();
    }

    @GetMapping("/{id}")
    @Operation(summary = "Read a failover")
    @ProblemResponses({404})
    FailoverView get(@PathVariable UUID id) {
        return FailoverView.of(failovers.get(id));
    }

    @GetMapping("/{id}/unreplicated")
    @Operation(summary = "Transactions the old primary committed after the last applied position (quarantined)")
    @ProblemResponses({404})
    List<UnreplicatedView> unreplicated(@PathVariable UUID id) {
        return failovers.unreplicated(id);
    }

    @PostMapping("/{id}/unreplicated/{txId}/replayed")
    @Operation(summary = "Mark a quarantined transaction as replayed on the new primary (by the operator)")
    @ProblemResponses({404, 409})
    UnreplicatedView replayed(@PathVariable UUID id, @PathVariable UUID txId) {
        return failovers.decide(id, txId, "REPLAYED", caller());
    }

    @PostMapping("/{id}/unreplicated/{txId}/discarded")
    @Operation(summary = "Mark a quarantined transaction as discarded")
    @ProblemResponses({404, 409})
    UnreplicatedView discarded(@PathVariable UUID id, @PathVariable UUID txId) {
        return failovers.decide(id, txId, "DISCARDED", caller());
    }

    @PostMapping("/{id}/failback")
    @Operation(summary = "Begin failback: replicate the new primary back to the old one",
            description = "Creates and starts the reverse replication through the control plane. The switchover back is "
                    + "a planned migration cutover once it has caught up (see docs/operations.md).")
    @ProblemResponses({404, 409, 502, 503})
    FailoverView failback(@PathVariable UUID id) {
        return FailoverView.of(failovers.failback(id));
    }

    private static String caller() {
        return TenantGuard.current().map(Caller::subject).orElse("unknown");
    }
}
