package io.helios.controlplane.lease;

import io.helios.controlplane.HeliosProperties;
import io.helios.controlplane.events.AssignmentsChanged;
import io.helios.controlplane.replication.AssignmentLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Expires the leases of workers silent past their expiry: inside every heartbeat, and on a
 * schedule ({@link LeaseExpiryScheduler}) so that leases do not outlive their workers when no
 * worker heartbeats at all. Safe with several control-plane replicas: each run holds the
 * {@link AssignmentLock}, and a lease is deleted (and counted) by exactly one run. Stateless.
 */
@Component
class LeaseExpiry {

    private static final Logger log = LoggerFactory.getLogger(LeaseExpiry.class);

    private final LeaseRepository leases;
    private final AssignmentLock lock;
    private final LeaseMetrics metrics;
    private final ApplicationEventPublisher events;
    private final Clock clock;
    private final Duration ttl;

    LeaseExpiry(LeaseRepository leases, AssignmentLock lock, LeaseMetrics metrics, ApplicationEventPublisher events,
                Clock clock, HeliosProperties properties) {
        this.leases = leases;
        this.lock = lock;
        this.metrics = metrics;
        this.events = events;
        this.clock = clock;
        this.ttl = properties.leases().ttl();
    }

    /** The scheduled run: its own transaction under the lock; announces the freed replications. */
    @Transactional
    public List<UUID> expireNow() {
        lock.acquire();
        Instant now = clock.instant();
        List<UUID> expired = expire(now);
        if (!expired.isEmpty()) {
            events.publishEvent(new AssignmentsChanged("leases expired", expired, now));
        }
        return expired;
    }

    /** Deletes the expired leases inside the caller's transaction, the lock held; answers their replications. */
    @Transactional(propagation = Propagation.MANDATORY)
    public List<UUID> expire(Instant now) {
        List<UUID> expired = leases.deleteExpired(Timestamp.from(now));
        if (!expired.isEmpty()) {
            metrics.expired(expired.size());
            log.info("leases expired (worker silent longer than {}): {}", ttl, expired);
        }
        return expired;
    }
}
