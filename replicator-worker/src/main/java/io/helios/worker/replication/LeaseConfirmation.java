package io.helios.worker.replication;

import java.time.Duration;

/**
 * Lets a runner that lost its connections make sure it still holds its lease before it touches
 * the source or target again: a stop or delete on the control plane drops the slot and the
 * checkpoint, and a runner that simply reconnected would create them anew (an orphaned slot and
 * a copy nobody wants).
 */
@FunctionalInterface
interface LeaseConfirmation {

    /**
     * Waits for a heartbeat answer newer than the call (at most {@code max}) and tells whether it
     * still lists the replication under {@code epoch}.
     */
    boolean stillHeld(String replicationId, long epoch, Duration max) throws InterruptedException;

    /**
     * The replication's phase changed (copying, streaming, failed, ...): the control plane should
     * hear of it with the next heartbeat, sent now rather than at the interval, so that its status
     * (and the migration and failover services that follow it) sees the change at once.
     */
    default void phaseChanged(String replicationId) {
    }
}
