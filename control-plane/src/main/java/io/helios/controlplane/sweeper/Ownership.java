package io.helios.controlplane.sweeper;

import io.helios.controlplane.replication.AssignmentLock;
import io.helios.controlplane.replication.Replication;
import io.helios.controlplane.replication.ReplicationService;
import io.helios.controlplane.replication.ReplicationState;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import java.sql.SQLException;
import java.util.Collection;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Which {@code helios_*} names a live replication owns. Live means RUNNING, PAUSED or FAILED: those
 * keep their slot to resume from. CREATED and STOPPED replications own none (stop drops them;
 * the next start makes new ones), nor do deleted ones. Stateless.
 */
@Component
class Ownership {

    static final Set<ReplicationState> LIVE = EnumSet.of(ReplicationState.RUNNING, ReplicationState.PAUSED,
            ReplicationState.FAILED);

    /** A step on an endpoint that may fail. */
    interface SqlAction {
        boolean run() throws SQLException;
    }

    private final ReplicationService replications;
    private final AssignmentLock lock;
    private final TransactionTemplate tx;

    Ownership(ReplicationService replications, AssignmentLock lock, TransactionTemplate tx) {
        this.replications = replications;
        this.lock = lock;
        this.tx = tx;
    }

    Set<String> ownedNames(Collection<Replication> all) {
        return all.stream().filter(r -> LIVE.contains(r.state())).map(r -> OrphanSweeper.nameOf(r.id()))
                .collect(Collectors.toSet());
    }

    /** The replication whose id the name carries, if it exists. */
    Optional<Replication> replicationOf(String name) {
        return idOf(name).flatMap(replications::find);
    }

    static Optional<UUID> idOf(String name) {
        if (!name.matches("helios_[0-9a-f]{32}")) {
            return Optional.empty();
        }
        String h = name.substring("helios_".length());
        return Optional.of(UUID.fromString(h.substring(0, 8) + "-" + h.substring(8, 12) + "-" + h.substring(12, 16)
                + "-" + h.substring(16, 20) + "-" + h.substring(20)));
    }

    /**
     * Runs {@code action} under the assignment lock if no live replication owns {@code name} then,
     * so that a start cannot slip between the check and the drop. Answers the action's result,
     * false when the name is owned again.
     */
    boolean whileUnowned(String name, SqlAction action) {
        Boolean done = tx.execute(status -> {
            lock.acquire();
            if (replicationOf(name).filter(r -> LIVE.contains(r.state())).isPresent()) {
                return false;
            }
            try {
                return action.run();
            } catch (SQLException e) {
                throw new IllegalStateException("cannot drop " + name + ": " + e.getMessage(), e);
            }
        });
        return Boolean.TRUE.equals(done);
    }
}
