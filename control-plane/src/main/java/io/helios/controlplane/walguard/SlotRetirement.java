package io.helios.controlplane.walguard;

import io.helios.controlplane.alerts.SlotDropped;
import io.helios.controlplane.replication.FreshCopy;
import io.helios.controlplane.replication.Replication;
import io.helios.controlplane.replication.ReplicationState;
import io.helios.controlplane.walguard.WalPolicy.Action;
import io.helios.postgres.slot.ReplicationSlots;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Set;

/**
 * Retires a replication's slot for the WAL guard: fails the replication and drops the slot in
 * one step under the assignment lock (through {@link FreshCopy}, so a concurrent start either
 * comes before, and the replication is left alone, or after, and copies afresh), then forgets
 * its progress on the target so the next start copies the tenant again. Stateless.
 */
@Component
class SlotRetirement {

    private static final Logger log = LoggerFactory.getLogger(SlotRetirement.class);

    private static final Set<ReplicationState> LIMIT_STATES = EnumSet.of(ReplicationState.PAUSED, ReplicationState.FAILED);
    private static final Set<ReplicationState> LOST_STATES =
            EnumSet.of(ReplicationState.RUNNING, ReplicationState.PAUSED, ReplicationState.FAILED);

    private final FreshCopy freshCopy;
    private final ApplicationEventPublisher events;

    SlotRetirement(FreshCopy freshCopy, ApplicationEventPublisher events) {
        this.freshCopy = freshCopy;
        this.events = events;
    }

    /**
     * @param source an open connection to the replication's source endpoint
     * @param mark   stores the fresh-copy mark, in the same transaction as the failure
     * @return whether the replication was failed and its slot dropped (false: its state moved meanwhile)
     */
    boolean retire(Connection source, Replication r, String slot, String reason, Action action, Instant now,
                   Runnable mark) {
        boolean done = freshCopy.fail(r.id(), action == Action.DROP_LOST ? LOST_STATES : LIMIT_STATES, reason,
                locked -> {
                    drop(source, slot);
                    mark.run();
                }).isPresent();
        if (done) {
            log.warn("replication {} of tenant {}: {}", r.id(), r.tenantId(), reason);
            events.publishEvent(new SlotDropped(r.sourceEndpointId(), r.id(), r.tenantId(), "SLOT", slot,
                    action == Action.DROP_LOST ? "SLOT_LOST" : "RETENTION_LIMIT", reason, now));
        }
        return done;
    }

    /** Forgets the replication's progress on its endpoints; answers whether it could (else: retried next pass). */
    boolean forgetProgress(Replication r) {
        try {
            freshCopy.forgetProgress(r.id());
            log.info("replication {}: progress forgotten on its endpoints, the next start copies afresh", r.id());
            return true;
        } catch (RuntimeException e) {
            log.warn("replication {}: progress not yet forgotten on its endpoints (retried next pass): {}", r.id(),
                    e.getMessage());
            return false;
        }
    }

    private static void drop(Connection source, String slot) {
        try {
            ReplicationSlots.drop(source, slot);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot drop slot " + slot + ": " + e.getMessage(), e);
        }
    }
}
