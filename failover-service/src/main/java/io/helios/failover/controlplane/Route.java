package io.helios.failover.controlplane;

import java.util.UUID;

/** A tenant's route as the control plane's directory answers it. */
public record Route(String tenantId, UUID primaryEndpointId, String endpointName, String region, String jdbcUrl,
                    long routingEpoch, String basis) {
}
