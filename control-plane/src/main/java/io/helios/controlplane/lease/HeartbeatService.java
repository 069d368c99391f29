package io.helios.controlplane.lease;

import io.helios.controlplane.HeliosProperties;
import io.helios.controlplane.events.AssignmentsChanged;
import io.helios.controlplane.replication.AssignmentLock;
import io.helios.controlplane.replication.ReplicationLeasing;
import io.helios.core.lease.Heartbeat;
import io.helios.core.lease.LeaseGrant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The control-plane side of the lease protocol. Each heartbeat runs in one transaction under
 * the {@link AssignmentLock}: register the worker, expire leases of silent workers, renew the
 * caller's leases, store the caller's reports for leases it still holds at that epoch, grant
 * unleased active replications up to a fair share, then, if the caller is still below its
 * share, move leases to it from workers above theirs ({@link LeaseRebalancer}), and answer every
 * lease the caller holds. A beat that says the worker is leaving releases all its leases and
 * forgets the worker instead, so the others take them over at their next (event-driven) beat.
 */
@Service
public class HeartbeatService {

    private static final Logger log = LoggerFactory.getLogger(HeartbeatService.class);

    private final WorkerRepository workers;
    private final LeaseRepository leases;
    private final ReplicationLeasing replications;
    private final ReportRecorder reports;
    private final SpecAssembler specs;
    private final AssignmentLock lock;
    private final LeaseMetrics metrics;
    private final LeaseExpiry expiry;
    private final LeaseRebalancer rebalancer;
    private final ApplicationEventPublisher events;
    private final Clock clock;
    private final Duration ttl;
    private final Duration interval;

    public HeartbeatService(WorkerRepository workers, LeaseRepository leases, ReplicationLeasing replications,
                            ReportRecorder reports, SpecAssembler specs, AssignmentLock lock, LeaseMetrics metrics,
                            LeaseExpiry expiry, LeaseRebalancer rebalancer, ApplicationEventPublisher events,
                            Clock clock, HeliosProperties properties) {
        this.workers = workers;
        this.leases = leases;
        this.replications = replications;
        this.reports = reports;
        this.specs = specs;
        this.lock = lock;
        this.metrics = metrics;
        this.expiry = expiry;
        this.rebalancer = rebalancer;
        this.events = events;
        this.clock = clock;
        this.ttl = properties.leases().ttl();
        this.interval = properties.leases().heartbeatInterval();
    }

    @Transactional
    public Heartbeat.Response beat(String workerId, Heartbeat.Request request) {
        lock.acquire();
        metrics.heartbeat();
        Instant now = clock.instant();
        if (Boolean.TRUE.equals(request.leaving())) {
            return leave(workerId, request, now);
        }
        Timestamp expiresAt = Timestamp.from(now.plus(ttl));
        workers.beat(workerId, request.address(), request.capacity(), Timestamp.from(now));
        List<UUID> changed = new ArrayList<>(expiry.expire(now));
        leases.renew(workerId, expiresAt);
        changed.addAll(reports.record(workerId, request.reports(), now));
        changed.addAll(assign(workerId, request.capacity(), now, expiresAt));
        if (!changed.isEmpty()) {
            events.publishEvent(new AssignmentsChanged("leases changed", changed, now));
        }
        List<LeaseGrant> grants = leases.findByWorkerIdOrderByGrantedAt(workerId).stream()
                .map(specs::grantOf).flatMap(Optional::stream).toList();
        return new Heartbeat.Response(grants, interval.toMillis(), ttl.toMillis());
    }

    private Heartbeat.Response leave(String workerId, Heartbeat.Request request, Instant now) {
        List<UUID> changed = new ArrayList<>(reports.record(workerId, request.reports(), now));
        List<UUID> released = leases.releaseAll(workerId);
        workers.remove(workerId);
        metrics.released(released.size());
        changed.addAll(released);
        log.info("worker {} left; its leases are released: {}", workerId, released);
        if (!changed.isEmpty()) {
            events.publishEvent(new AssignmentsChanged("worker " + workerId + " left", changed, now));
        }
        return new Heartbeat.Response(List.of(), interval.toMillis(), ttl.toMillis());
    }

    private List<UUID> assign(String workerId, int capacity, Instant now, Timestamp expiresAt) {
        long live = workers.countLive(Timestamp.from(now.minus(ttl)));
        long fairShare = LeaseBalance.fairShare(replications.countActive(), live);
        int room = LeaseBalance.room(capacity, fairShare, leases.countByWorker(workerId));
        if (room <= 0) {
            return List.of();
        }
        List<UUID> granted = new ArrayList<>(leases.findUnleasedActive(room));
        for (UUID id : granted) {
            long epoch = replications.bumpLeaseEpoch(id);
            leases.grant(id, workerId, epoch, Timestamp.from(now), expiresAt);
            log.info("replication {} leased to worker {} at epoch {}", id, workerId, epoch);
        }
        metrics.granted(granted.size());
        granted.addAll(rebalancer.moveTo(workerId, room - granted.size(), fairShare, now, expiresAt));
        return granted;
    }
}
