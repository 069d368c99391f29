package io.helios.core.lease;

/**
 * A replication leased to a worker. {@code epoch} is the fencing token: it grows with every
 * grant of the replication, and the target's checkpoint refuses applies from smaller epochs.
 *
 * @param desiredState RUNNING (stream) or PAUSED (hold the lease, stream nothing)
 */
public record LeaseGrant(ReplicationSpec spec, long epoch, String desiredState, long expiresAtEpochMillis) {
}
