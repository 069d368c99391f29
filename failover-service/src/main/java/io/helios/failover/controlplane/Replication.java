package io.helios.failover.controlplane;

import java.util.List;
import java.util.UUID;

/** A replication as the control plane shows it (the fields the failover service reads). */
public record Replication(UUID id, String tenantId, UUID sourceEndpointId, UUID targetEndpointId, String tenancyModel,
                          String sourceSchema, String targetSchema, String discriminatorColumn, List<String> includeTables,
                          List<String> excludeTables, String state, long leaseEpoch) {

    public boolean active() {
        return "RUNNING".equals(state) || "PAUSED".equals(state);
    }
}
