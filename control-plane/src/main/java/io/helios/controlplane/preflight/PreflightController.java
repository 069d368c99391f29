package io.helios.controlplane.preflight;

import io.helios.controlplane.replication.ReplicationService;
import io.helios.service.security.TenantGuard;
import io.helios.service.web.ApiException;
import io.helios.service.web.ProblemResponses;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import java.util.UUID;

/** Preflight checks of an endpoint, or of both ends of a replication. */
@RestController
@Tag(name = "Preflight", description = "What a source or target lacks before a replication can run")
class PreflightController {

    private final PreflightService preflight;
    private final ReplicationService replications;
    private final TenantGuard guard;

    PreflightController(PreflightService preflight, ReplicationService replications, TenantGuard guard) {
        this.preflight = preflight;
        this.replications = replications;
        this.guard = guard;
    }

    @PostMapping("/api/v1/endpoints/{id}/preflight")
    @Operation(summary = "Check an endpoint for a role",
            description = "Server version, wal_level, free slots and WAL senders, privileges, SSL; with tenancy details, "
                    + "also the tenant's tables (primary key or replica identity, ROW discriminator column). "
                    + "An unreachable endpoint answers 200 with a FAIL check named connection.")
    @ProblemResponses({400, 404})
    PreflightReport endpoint(@PathVariable UUID id, @Valid @RequestBody PreflightRequest request) {
        return preflight.endpoint(id, request);
    }

    @GetMapping("/api/v1/replications/{id}/preflight")
    @Operation(summary = "Check both ends of a replication")
    @ProblemResponses({400, 404})
    PreflightReport.Pair replication(@PathVariable UUID id) {
        guard.require(replications.get(id).tenantId(), () -> ApiException.notFound("replication", id));
        return preflight.replication(id);
    }
}
