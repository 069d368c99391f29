package io.helios.controlplane.promotion;

import io.helios.service.security.TenantGuard;
import io.helios.service.web.ApiException;
import io.helios.service.web.ProblemResponses;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import java.util.UUID;

/**
 * {@code POST /api/v1/internal/replications/{id}/promote}: the failover service's lease revocation (service
 * role only). Idempotent: promoting a promoted replication fences it again and answers the same
 * position.
 */
@RestController
@Tag(name = "Promotion", description = "Lease revocation for the failover service")
class PromotionController {

    private final PromotionService promotions;
    private final io.helios.controlplane.replication.ReplicationService replications;
    private final TenantGuard guard;

    PromotionController(PromotionService promotions, io.helios.controlplane.replication.ReplicationService replications,
                        TenantGuard guard) {
        this.promotions = promotions;
        this.replications = replications;
        this.guard = guard;
    }

    @PostMapping("/api/v1/internal/replications/{id}/promote")
    @Operation(summary = "Promote a replication's target (failover service only)",
            description = "Revokes the lease (the epoch moves on), stops the replication without touching its source, "
                    + "fences the target's checkpoint at the new epoch and answers the last applied position.")
    @ProblemResponses({400, 404, 409, 503})
    PromotionView promote(@PathVariable UUID id, @Valid @RequestBody(required = false) PromotionRequest request) {
        String tenant = replications.find(id).orElseThrow(() -> ApiException.notFound("replication", id)).tenantId();
        guard.require(tenant, () -> ApiException.notFound("replication", id));
        return promotions.promote(id, request == null ? null : request.reason());
    }
}
