package io.helios.controlplane.endpoint;

import io.helios.controlplane.secret.EndpointSecrets;
import io.helios.service.security.TenantGuard;
import io.helios.service.web.ProblemResponses;
import io.helios.core.lease.EndpointSpec;
import io.helios.security.Caller;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

import java.util.UUID;

/**
 * An endpoint's connection for the internal services ({@code /api/v1/internal/**}, role
 * {@code service} only): the migration and failover services fence, hold and unfence tenants on
 * the databases themselves. The password stays sealed; only holders of the secrets keys open it.
 */
@RestController
@Tag(name = "Internal", description = "Service-to-service operations (role service only)")
class EndpointConnectionController {

    private static final Logger log = LoggerFactory.getLogger(EndpointConnectionController.class);

    private final EndpointService service;

    EndpointConnectionController(EndpointService service) {
        this.service = service;
    }

    @GetMapping("/api/v1/internal/endpoints/{id}/connection")
    @Operation(summary = "An endpoint's connection, for the internal services",
            description = "Role `service` only (migration-service, failover-service): URL, user and the password still "
                    + "sealed (base64), as workers receive it in their grants.")
    @ProblemResponses({400, 404})
    EndpointSpec connection(@PathVariable UUID id) {
        Endpoint e = service.get(id);
        log.info("connection of endpoint {} ({}) handed to {}", e.id(), e.name(),
                TenantGuard.current().map(Caller::subject).orElse("an unnamed caller"));
        return new EndpointSpec(e.id().toString(), e.name(), e.region(), e.jdbcUrl(), e.username(),
                EndpointSecrets.toBase64(e.sealedPassword()));
    }
}
