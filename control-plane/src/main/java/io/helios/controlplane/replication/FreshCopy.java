package io.helios.controlplane.replication;

import io.helios.controlplane.events.AssignmentsChanged;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * The replication's side of "this replication must copy afresh", for the WAL guard: fails it
 * (under the {@link AssignmentLock}, revoking the lease so no worker streams on) while the caller
 * drops its slot, then forgets its progress on the target through {@link SourceCleanup}, the same
 * cleanup as stop, so that the next start copies the tenant again.
 */
@Service
public class FreshCopy {

    private static final Logger log = LoggerFactory.getLogger(FreshCopy.class);

    private final ReplicationService replications;
    private final ReplicationLeasing leasing;
    private final LeaseRevoker leases;
    private final AssignmentLock lock;
    private final SourceCleanup cleanup;
    private final ApplicationEventPublisher events;
    private final TransactionTemplate tx;
    private final Clock clock;

    FreshCopy(ReplicationService replications, ReplicationLeasing leasing, LeaseRevoker leases, AssignmentLock lock,
              SourceCleanup cleanup, ApplicationEventPublisher events, TransactionTemplate tx, Clock clock) {
        this.replications = replications;
        this.leasing = leasing;
        this.leases = leases;
        this.lock = lock;
        this.cleanup = cleanup;
        this.events = events;
        this.tx = tx;
        this.clock = clock;
    }

    /**
     * When the replication is (still) in one of {@code from}: moves it to FAILED if it is RUNNING or
     * PAUSED, revoking its lease, and runs {@code whileLocked} (the slot drop) before the commit, so
     * that no start can slip in between. A failure of {@code whileLocked} rolls everything back.
     *
     * @return the replication as it was, or empty when it was in another state (nothing done)
     */
    public Optional<Replication> fail(UUID id, Set<ReplicationState> from, String reason,
                                      Consumer<Replication> whileLocked) {
        return Optional.ofNullable(tx.execute(status -> {
            lock.acquire();
            Optional<Replication> found = replications.find(id);
            if (found.isEmpty() || !from.contains(found.get().state())) {
                return null;
            }
            Replication r = found.get();
            if (r.state().isActive() && leasing.markFailed(id, clock.instant())) {
                leases.revoke(id);
                log.warn("replication {} of tenant {}: {} -> FAILED ({})", id, r.tenantId(), r.state(), reason);
                events.publishEvent(new AssignmentsChanged("replication failed by the WAL guard", List.of(id),
                        clock.instant()));
            }
            whileLocked.accept(r);
            return r;
        }));
    }

    /**
     * Forgets the replication's progress on its endpoints (publication on the source, checkpoint on
     * the target) as stop does, so that its next start copies afresh. Blocking and bounded like
     * stop's cleanup; throws when an endpoint does not answer (repeat later).
     */
    public void forgetProgress(UUID id) {
        cleanup.clean(replications.get(id));
    }
}
