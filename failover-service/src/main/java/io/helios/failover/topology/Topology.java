package io.helios.failover.topology;

import io.helios.failover.controlplane.ControlPlaneClient;
import io.helios.failover.controlplane.Replication;
import io.helios.failover.controlplane.ReplicationStatus;
import io.helios.failover.controlplane.Route;
import io.helios.failover.health.ProbeTargets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * What the failover service watches, read from the control plane every
 * {@code helios.probe.refresh-interval}: the active replications, their status (last applied
 * position, lag, the worker's view of its source) and their tenants' routes. When the control plane
 * does not answer, the last snapshot stays (a failover must still be possible when the control
 * plane's region is the one in trouble, as long as it answers the promotion itself). Thread-safe:
 * the snapshot is replaced whole.
 */
@Component
public class Topology implements ProbeTargets {

    private static final Logger log = LoggerFactory.getLogger(Topology.class);

    private final ControlPlaneClient controlPlane;
    private final Clock clock;
    private volatile Map<UUID, Watched> snapshot = Map.of();

    public Topology(ControlPlaneClient controlPlane, Clock clock) {
        this.controlPlane = controlPlane;
        this.clock = clock;
    }

    public List<Watched> watched() {
        return List.copyOf(snapshot.values());
    }

    public Optional<Watched> of(UUID replicationId) {
        return Optional.ofNullable(snapshot.get(replicationId));
    }

    @Override
    public Set<UUID> endpointsToProbe() {
        Set<UUID> out = new HashSet<>();
        for (Watched w : snapshot.values()) {
            out.add(w.replication().sourceEndpointId());
            out.add(w.replication().targetEndpointId());
        }
        return out;
    }

    @Scheduled(fixedDelayString = "${helios.probe.refresh-interval:2s}", initialDelay = 0)
    public void refresh() {
        List<Replication> all;
        try {
            all = controlPlane.replications();
        } catch (RuntimeException e) {
            log.debug("topology not refreshed: {}", e.getMessage());
            return;
        }
        Instant now = clock.instant();
        Map<String, Route> routes = new HashMap<>();
        Map<UUID, Watched> next = new HashMap<>();
        Map<UUID, Watched> previous = snapshot;
        for (Replication r : all) {
            if (!r.active()) {
                continue;
            }
            Watched old = previous.get(r.id());
            Route route = routes.computeIfAbsent(r.tenantId(), t -> read(() -> controlPlane.route(t), old == null ? null : old.route()));
            ReplicationStatus status = read(() -> controlPlane.status(r.id()), old == null ? null : old.status());
            next.put(r.id(), new Watched(r, status, route, now));
        }
        snapshot = Map.copyOf(next);
    }

    /** Forgets a replication at once (it was promoted). */
    public void forget(UUID replicationId) {
        Map<UUID, Watched> next = new HashMap<>(snapshot);
        next.remove(replicationId);
        snapshot = Map.copyOf(next);
    }

    private static <T> T read(java.util.function.Supplier<T> call, T fallback) {
        try {
            return call.get();
        } catch (RuntimeException e) {
            log.debug("control plane read failed, keeping the last answer: {}", e.getMessage());
            return fallback;
        }
    }

}
