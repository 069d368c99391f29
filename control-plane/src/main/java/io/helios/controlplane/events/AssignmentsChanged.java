package io.helios.controlplane.events;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Leases or desired states changed: workers should heartbeat now to learn their assignments.
 * Published in-process inside the changing transaction and sent to the broker after commit.
 *
 * @param reason         what happened, for logs (for example {@code replication paused})
 * @param replicationIds the replications concerned
 */
public record AssignmentsChanged(String reason, List<UUID> replicationIds, Instant occurredAt) {

    public AssignmentsChanged {
        replicationIds = List.copyOf(replicationIds);
    }
}
