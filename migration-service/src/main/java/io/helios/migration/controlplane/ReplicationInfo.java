package io.helios.migration.controlplane;

import java.util.List;
import java.util.UUID;

/** A replication's definition and lifecycle state, as the control plane answers it. */
public record ReplicationInfo(UUID id, String tenantId, UUID sourceEndpointId, UUID targetEndpointId, String tenancyModel,
                              String sourceSchema, String targetSchema, String discriminatorColumn,
                              List<String> includeTables, List<String> excludeTables, String state) {
}
