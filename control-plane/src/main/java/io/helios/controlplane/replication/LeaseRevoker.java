package io.helios.controlplane.replication;

import java.util.Optional;
import java.util.UUID;

/**
 * What the replication feature needs of leases (implemented by the lease feature, so that
 * the dependency points from {@code lease} to {@code replication} only).
 */
public interface LeaseRevoker {

    /**
     * Deletes the lease, if any, and bumps the replication's lease epoch so a zombie holder
     * cannot apply. Called inside the caller's transaction with the {@link AssignmentLock} held.
     */
    void revoke(UUID replicationId);

    /** The worker currently holding the replication's lease, if any. */
    Optional<Holder> holder(UUID replicationId);

    /** A lease holder and the lease's fencing epoch. */
    record Holder(String workerId, long epoch) {
    }
}
