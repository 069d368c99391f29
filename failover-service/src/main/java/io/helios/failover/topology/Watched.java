package io.helios.failover.topology;

import io.helios.failover.controlplane.Replication;
import io.helios.failover.controlplane.ReplicationStatus;
import io.helios.failover.controlplane.Route;

import java.time.Instant;

/**
 * A replication whose source is its tenant's primary: the pair a failover would promote. Its
 * status and route as last read from the control plane ({@code status} or {@code route} null when
 * that read failed), and when they were read.
 */
public record Watched(Replication replication, ReplicationStatus status, Route route, Instant readAt) {

    /** Whether the tenant is served by this replication's source (a failover would move it to the target). */
    public boolean sourceIsPrimary() {
        return route != null && replication.sourceEndpointId().equals(route.primaryEndpointId());
    }
}
