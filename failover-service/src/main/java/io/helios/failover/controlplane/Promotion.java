package io.helios.failover.controlplane;

import java.util.UUID;

/**
 * The control plane's answer to a promotion: the replication is stopped, its lease revoked at
 * {@code leaseEpoch}, and {@code lastAppliedLsn} is the last source position its worker reported.
 */
public record Promotion(UUID replicationId, String tenantId, UUID sourceEndpointId, UUID targetEndpointId,
                        long leaseEpoch, String lastAppliedLsn, String state) {
}
