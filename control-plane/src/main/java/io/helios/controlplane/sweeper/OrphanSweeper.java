package io.helios.controlplane.sweeper;

import io.helios.controlplane.HeliosProperties;
import io.helios.controlplane.alerts.SlotDropped;
import io.helios.controlplane.endpoint.Endpoint;
import io.helios.controlplane.endpoint.EndpointService;
import io.helios.controlplane.maintenance.EndpointSessions;
import io.helios.controlplane.maintenance.MaintenanceTask;
import io.helios.controlplane.maintenance.SourceSlots;
import io.helios.controlplane.replication.Replication;
import io.helios.controlplane.replication.ReplicationService;
import io.helios.postgres.slot.Publications;
import io.helios.postgres.slot.ReplicationNames;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Finds {@code helios_*} slots and publications, on every registered endpoint, that no live
 * replication owns (its replication was deleted, is STOPPED or CREATED, or never existed here:
 * a forced delete, a source changed by PUT after a failed cleanup, a bootstrap racing a stop),
 * records when each was first seen, and drops it once it has been an orphan for
 * {@code helios.sweeper.grace} — a slot only while no walsender holds it (an active orphan is
 * reported, never ended). Ownership is checked again, under the assignment lock, right before a
 * drop. One bounded connection per endpoint; an unreachable endpoint is logged and skipped.
 */
@Component
class OrphanSweeper implements MaintenanceTask {

    static final String SLOT = "SLOT";
    static final String PUBLICATION = "PUBLICATION";

    private static final Logger log = LoggerFactory.getLogger(OrphanSweeper.class);

    private final EndpointService endpoints;
    private final ReplicationService replications;
    private final EndpointSessions sessions;
    private final OrphanStore store;
    private final Ownership ownership;
    private final SweeperMetrics metrics;
    private final ApplicationEventPublisher events;
    private final Clock clock;
    private final HeliosProperties.Sweeper config;

    OrphanSweeper(EndpointService endpoints, ReplicationService replications, EndpointSessions sessions,
                  OrphanStore store, Ownership ownership, SweeperMetrics metrics, ApplicationEventPublisher events,
                  Clock clock, HeliosProperties properties) {
        this.endpoints = endpoints;
        this.replications = replications;
        this.sessions = sessions;
        this.store = store;
        this.ownership = ownership;
        this.metrics = metrics;
        this.events = events;
        this.clock = clock;
        this.config = properties.sweeper();
    }

    @Override
    public String name() {
        return "orphan-sweeper";
    }

    @Override
    public boolean enabled() {
        return config.enabled();
    }

    @Override
    public Duration interval() {
        return config.interval();
    }

    @Override
    public void run() {
        Set<String> owned = ownership.ownedNames(replications.list());
        for (Endpoint e : endpoints.list()) {
            try (Connection c = sessions.open(e.id())) {
                sweep(c, e.id(), owned);
            } catch (SQLException | RuntimeException ex) {
                metrics.endpointFailed();
                log.warn("sweeper: endpoint {} ({}) unreadable, its orphans stay as last seen: {}", e.name(), e.id(),
                        ex.getMessage());
            }
        }
    }

    private void sweep(Connection c, UUID endpoint, Set<String> owned) throws SQLException {
        Instant now = clock.instant();
        Map<String, SourceSlots.Slot> slots = SourceSlots.slots(c);
        List<String> orphanSlots = new ArrayList<>();
        for (SourceSlots.Slot s : slots.values()) {
            if (owned.contains(s.name())) {
                continue;
            }
            orphanSlots.add(s.name());
            OrphanStore.Sighting seen = store.seen(endpoint, SLOT, s.name(), s.active(), now);
            if (due(seen, now) && !s.active()) {
                dropSlot(c, endpoint, s.name(), now);
            } else if (seen.firstSeenAt().equals(now)) {
                log.warn("sweeper: orphaned slot {} on endpoint {} ({}); dropped after {} once inactive", s.name(),
                        endpoint, s.active() ? "active: a walsender holds it" : "inactive", config.grace());
            }
        }
        store.keepOnly(endpoint, SLOT, orphanSlots);
        List<String> orphanPublications = new ArrayList<>();
        for (String p : SourceSlots.publications(c)) {
            if (owned.contains(p)) {
                continue;
            }
            orphanPublications.add(p);
            SourceSlots.Slot sameName = slots.get(p);
            boolean inUse = sameName != null && sameName.active();
            OrphanStore.Sighting seen = store.seen(endpoint, PUBLICATION, p, inUse, now);
            if (due(seen, now) && !inUse) {
                dropPublication(c, endpoint, p, now);
            } else if (seen.firstSeenAt().equals(now)) {
                log.warn("sweeper: orphaned publication {} on endpoint {}; dropped after {}", p, endpoint, config.grace());
            }
        }
        store.keepOnly(endpoint, PUBLICATION, orphanPublications);
    }

    private boolean due(OrphanStore.Sighting seen, Instant now) {
        return config.drop() && !Duration.between(seen.firstSeenAt(), now).minus(config.grace()).isNegative();
    }

    private void dropSlot(Connection c, UUID endpoint, String slot, Instant now) {
        boolean dropped = ownership.whileUnowned(slot, () -> SourceSlots.dropIfInactive(c, slot));
        if (dropped) {
            store.forget(endpoint, SLOT, slot);
            metrics.dropped(SLOT);
            announce(endpoint, SLOT, slot, now);
        }
    }

    private void dropPublication(Connection c, UUID endpoint, String publication, Instant now) {
        boolean dropped = ownership.whileUnowned(publication, () -> {
            Publications.drop(c, publication);
            return true;
        });
        if (dropped) {
            store.forget(endpoint, PUBLICATION, publication);
            metrics.dropped(PUBLICATION);
            announce(endpoint, PUBLICATION, publication, now);
        }
    }

    private void announce(UUID endpoint, String kind, String name, Instant now) {
        Replication r = ownership.replicationOf(name).orElse(null);
        String detail = kind.toLowerCase() + " " + name + " on endpoint " + endpoint + " had no live replication for "
                + "longer than helios.sweeper.grace=" + config.grace()
                + (r == null ? " (no replication of that id exists)" : " (replication in state " + r.state() + ")");
        log.warn("sweeper: dropped {}", detail);
        events.publishEvent(new SlotDropped(endpoint, r == null ? null : r.id(), r == null ? null : r.tenantId(), kind,
                name, "ORPHAN", detail, now));
    }

    /** The slot (and publication) name of a replication id, for readers of this package. */
    static String nameOf(UUID replicationId) {
        return ReplicationNames.slot(replicationId.toString());
    }
}
