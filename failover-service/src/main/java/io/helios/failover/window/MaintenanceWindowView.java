package io.helios.failover.window;

import io.swagger.v3.oas.annotations.media.Schema;

import java.time.Instant;
import java.util.UUID;

/** A maintenance window as the API shows it. */
@Schema(description = "A maintenance window")
public record MaintenanceWindowView(UUID id, String tenantId, Instant startsAt, Instant endsAt, String reason,
                                    Instant createdAt, @Schema(description = "The window covers the present") boolean active) {

    static MaintenanceWindowView of(MaintenanceWindow w, Instant now) {
        return new MaintenanceWindowView(w.id(), w.tenantId(), w.startsAt(), w.endsAt(), w.reason(), w.createdAt(),
                !now.isBefore(w.startsAt()) && now.isBefore(w.endsAt()));
    }
}
