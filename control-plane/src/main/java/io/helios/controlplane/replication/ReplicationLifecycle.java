package io.helios.controlplane.replication;

import io.helios.controlplane.events.AssignmentsChanged;
import io.helios.controlplane.replication.ReplicationState.Action;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

import java.time.Clock;
import java.util.List;
import java.util.UUID;

/**
 * Moves replications through their {@link ReplicationState} machine under the
 * {@link AssignmentLock}. Stop and delete revoke the lease first (bumping the fencing epoch)
 * and commit that, then fence the target's checkpoint at that epoch and drop the slot and
 * publication ({@link SourceCleanup}), and answer only when the slot is gone.
 */
@Service
public class ReplicationLifecycle {

    private static final Logger log = LoggerFactory.getLogger(ReplicationLifecycle.class);

    private final ReplicationService replications;
    private final ReplicationRepository repository;
    private final ReplicationStatusRepository statuses;
    private final AssignmentLock lock;
    private final LeaseRevoker leases;
    private final SourceCleanup cleanup;
    private final ApplicationEventPublisher events;
    private final TransactionTemplate tx;
    private final Clock clock;

    public ReplicationLifecycle(ReplicationService replications, ReplicationRepository repository,
                                ReplicationStatusRepository statuses, AssignmentLock lock, LeaseRevoker leases,
                                SourceCleanup cleanup, ApplicationEventPublisher events, TransactionTemplate tx,
                                Clock clock) {
        this.replications = replications;
        this.repository = repository;
        this.statuses = statuses;
        this.lock = lock;
        this.leases = leases;
        this.cleanup = cleanup;
        this.events = events;
        this.tx = tx;
        this.clock = clock;
    }

    /** Start, pause or resume: a change of desired state the lease holder learns on its next heartbeat. */
    public Replication apply(UUID id, Action action) {
        if (action == Action.STOP) {
            return stop(id);
        }
        return tx.execute(status -> {
            lock.acquire();
            Replication r = replications.get(id);
            ReplicationState next = r.state().apply(action);
            Replication saved = repository.save(r.withState(next, clock.instant()));
            if (action == Action.START) {
                statuses.deleteById(id);
            }
            changed(r, next, action.verb());
            return saved;
        });
    }

    /** Stops a replication, revoking its lease and dropping its slot and publication. Idempotent from STOPPED. */
    public Replication stop(UUID id) {
        Replication stopped = tx.execute(status -> {
            lock.acquire();
            Replication r = replications.get(id);
            if (r.state() == ReplicationState.STOPPED) {
                return r;
            }
            ReplicationState next = r.state().apply(Action.STOP);
            repository.save(r.withState(next, clock.instant()));
            leases.revoke(id);
            changed(r, next, Action.STOP.verb());
            return r;
        });
        // reloaded: the revocation bumped the epoch the target is fenced at
        cleanup.clean(replications.get(stopped.id()));
        return replications.get(id);
    }

    /**
     * Stops a replication for the promotion of its target (failover): revokes its lease (bumping
     * the fencing epoch) and moves it to STOPPED, but leaves its source alone (it may be dead, and
     * its slot keeps the writes the target never got). Idempotent from STOPPED (the epoch still
     * moves on, fencing any holder granted in between). Answers the replication as it is now.
     */
    public Replication stopForPromotion(UUID id) {
        tx.executeWithoutResult(status -> {
            lock.acquire();
            Replication r = replications.get(id);
            if (r.state() != ReplicationState.STOPPED) {
                repository.save(r.withState(ReplicationState.STOPPED, clock.instant()));
            }
            leases.revoke(id);
            changed(r, ReplicationState.STOPPED, "promote");
        });
        return replications.get(id);
    }

    /**
     * Deletes a replication from any state: revokes the lease, cleans source and target (unless
     * {@code force}, for an endpoint that is gone for good), then removes the record.
     */
    public void delete(UUID id, boolean force) {
        Replication r = tx.execute(status -> {
            lock.acquire();
            Replication current = replications.get(id);
            if (current.state() != ReplicationState.STOPPED) {
                repository.save(current.withState(ReplicationState.STOPPED, clock.instant()));
            }
            leases.revoke(id);
            changed(current, ReplicationState.STOPPED, "delete");
            return current;
        });
        if (!force) {
            // reloaded: the revocation bumped the epoch the target is fenced at
            cleanup.clean(replications.get(id));
        }
        tx.executeWithoutResult(status -> {
            lock.acquire();
            repository.deleteById(id);
        });
        log.info("replication {} of tenant {} deleted{}", id, r.tenantId(), force ? " (forced, no cleanup)" : "");
    }

    private void changed(Replication r, ReplicationState next, String verb) {
        log.info("replication {} of tenant {}: {} -> {} ({})", r.id(), r.tenantId(), r.state(), next, verb);
        events.publishEvent(new AssignmentsChanged("replication " + verb, List.of(r.id()), clock.instant()));
    }
}
