package io.helios.controlplane.alerts;

import java.time.Instant;
import java.util.UUID;

/**
 * Helios dropped a {@code helios_*} slot (or publication) on an endpoint.
 *
 * @param replicationId the replication the name belongs to, when one is known (null for an unknown orphan)
 * @param kind          {@code SLOT} or {@code PUBLICATION}
 * @param reason        {@code RETENTION_LIMIT}, {@code SLOT_LOST} or {@code ORPHAN}
 * @param detail        operator-facing explanation
 */
public record SlotDropped(UUID endpointId, UUID replicationId, String tenantId, String kind, String name, String reason,
                          String detail, Instant occurredAt) implements Alert {
}
