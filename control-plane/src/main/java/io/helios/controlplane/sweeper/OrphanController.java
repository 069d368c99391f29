package io.helios.controlplane.sweeper;

import io.helios.controlplane.HeliosProperties;
import io.helios.controlplane.replication.Replication;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.util.List;

/** Read-only view of the sweeper's findings: {@code GET /api/v1/maintenance/orphans} (admins). */
@RestController
@RequestMapping("/api/v1/maintenance")
@Tag(name = "Maintenance", description = "What the control plane's scheduled maintenance found")
class OrphanController {

    private final OrphanStore store;
    private final Ownership ownership;
    private final HeliosProperties.Sweeper config;

    OrphanController(OrphanStore store, Ownership ownership, HeliosProperties properties) {
        this.store = store;
        this.ownership = ownership;
        this.config = properties.sweeper();
    }

    @GetMapping("/orphans")
    @Operation(summary = "Orphaned slots and publications",
            description = "helios_* slots and publications on registered endpoints that no live replication owns, "
                    + "oldest sighting first; each is dropped once inactive and older than helios.sweeper.grace.")
    List<OrphanView> orphans() {
        return store.all().stream().map(s -> {
            Replication r = ownership.replicationOf(s.name()).orElse(null);
            return new OrphanView(s.endpointId(), s.kind(), s.name(), s.active(), r == null ? null : r.id(),
                    r == null ? null : r.state().name(), s.firstSeenAt(), s.lastSeenAt(),
                    config.drop() ? s.firstSeenAt().plus(config.grace()) : null);
        }).toList();
    }
}
