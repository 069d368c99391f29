package io.helios.controlplane.walguard;

import io.helios.controlplane.HeliosProperties;
import io.helios.controlplane.alerts.ReplicationWentStale;
import io.helios.controlplane.alerts.WalRetentionExceeded;
import io.helios.controlplane.maintenance.EndpointSessions;
import io.helios.controlplane.maintenance.MaintenanceTask;
import io.helios.controlplane.maintenance.SourceSlots;
import io.helios.controlplane.replication.FreshCopy;
import io.helios.controlplane.replication.Replication;
import io.helios.controlplane.replication.ReplicationHealth.Wal;
import io.helios.controlplane.replication.ReplicationReports;
import io.helios.controlplane.replication.ReplicationService;
import io.helios.controlplane.replication.ReplicationState;
import io.helios.controlplane.replication.Staleness;
import io.helios.controlplane.walguard.WalPolicy.Action;
import io.helios.controlplane.walguard.WalPolicy.Level;
import io.helios.controlplane.walguard.WalPolicy.Verdict;
import io.helios.postgres.slot.ReplicationNames;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;

import java.sql.Connection;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The WAL guard's pass: for every replication past CREATED, reads its slot on its source (one
 * bounded connection per source endpoint; an unreachable source is recorded and the others go
 * on), stores what it found, alerts when a retention threshold is crossed or an ACTIVE
 * replication goes stale, and, per {@link WalPolicy}, fails the replication and drops its slot
 * (with {@code ReplicationSlots.drop}, under the assignment lock) so it copies afresh on its next
 * start. Runs on the maintenance thread, one control-plane instance at a time.
 */
@Component
class WalGuard implements MaintenanceTask {

    private static final Logger log = LoggerFactory.getLogger(WalGuard.class);

    private final ReplicationService replications;
    private final ReplicationReports reports;
    private final EndpointSessions sessions;
    private final ReplicationWalStore store;
    private final SlotRetirement retirement;
    private final WalGuardMetrics metrics;
    private final ApplicationEventPublisher events;
    private final Clock clock;
    private final HeliosProperties.WalGuard config;
    private final WalPolicy policy;
    private final Duration staleAfter;

    WalGuard(ReplicationService replications, ReplicationReports reports, EndpointSessions sessions,
             ReplicationWalStore store, SlotRetirement retirement, WalGuardMetrics metrics,
             ApplicationEventPublisher events, Clock clock, HeliosProperties properties) {
        this.replications = replications;
        this.reports = reports;
        this.sessions = sessions;
        this.store = store;
        this.retirement = retirement;
        this.metrics = metrics;
        this.events = events;
        this.clock = clock;
        this.config = properties.walGuard();
        this.policy = new WalPolicy(config.warnRetainedBytes().toBytes(), config.maxRetainedBytes().toBytes(),
                config.dropSlots());
        this.staleAfter = Staleness.bound(properties);
    }

    @Override
    public String name() {
        return "wal-guard";
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
        Map<UUID, ReplicationWalStore.Row> previous = store.all().stream()
                .collect(Collectors.toMap(ReplicationWalStore.Row::replicationId, Function.identity()));
        Map<UUID, Instant> reported = reports.lastReportTimes();
        Map<UUID, List<Replication>> bySource = replications.list().stream()
                .filter(r -> r.state() != ReplicationState.CREATED)
                .collect(Collectors.groupingBy(Replication::sourceEndpointId));
        bySource.forEach((source, group) -> {
            Context ctx = new Context(previous, reported, clock.instant());
            try (Connection c = sessions.open(source)) {
                Map<String, SourceSlots.Slot> slots = SourceSlots.slots(c);
                group.forEach(r -> guardOne(c, r, slots.get(slotOf(r)), ctx));
            } catch (Exception e) {
                metrics.endpointFailed();
                log.warn("WAL guard: source endpoint {} unreadable ({} replication(s) not checked): {}", source,
                        group.size(), e.getMessage());
                group.forEach(r -> unreadable(r, ctx, e.getMessage()));
            }
        });
        metrics.ran();
    }

    private record Context(Map<UUID, ReplicationWalStore.Row> previous, Map<UUID, Instant> reported, Instant now) {
    }

    private void guardOne(Connection c, Replication r, SourceSlots.Slot slot, Context ctx) {
        try {
            ReplicationWalStore.Row prev = ctx.previous().get(r.id());
            boolean stale = watchStaleness(r, prev, ctx);
            Verdict v = policy.judge(r.state(), slot);
            alertOnRise(r, slot, prev, v, ctx.now());
            boolean fresh = prev != null && prev.wal().needsFreshCopy() && !r.state().isActive();
            String reason = fresh ? prev.wal().reason() : null;
            boolean cleanup = fresh && prev.cleanupPending();
            SourceSlots.Slot shown = slot;
            if (v.action() != Action.NONE) {
                String why = reason(r, slot, v);
                Wal marked = reading(r, null, v, true, why, ctx.now());
                if (retirement.retire(c, r, slotOf(r), why, v.action(), ctx.now(),
                        () -> store.save(r.id(), marked, stale, true))) {
                    metrics.dropped(v.action());
                    fresh = true;
                    cleanup = true;
                    reason = why;
                    shown = null;
                }
            }
            if (cleanup) {
                cleanup = !retirement.forgetProgress(r);
            }
            store.save(r.id(), reading(r, shown, v, fresh, reason, ctx.now()), stale, cleanup);
        } catch (RuntimeException e) {
            metrics.endpointFailed();
            log.warn("WAL guard: replication {} not checked: {}", r.id(), e.getMessage(), e);
        }
    }

    private static Wal reading(Replication r, SourceSlots.Slot s, Verdict v, boolean fresh, String reason, Instant at) {
        return new Wal(slotOf(r), s != null, s == null ? null : s.active(), s == null ? null : s.walStatus(),
                s == null ? null : s.retainedBytes(), s == null ? null : s.safeWalSize(), v.level().name(), fresh,
                reason, null, at);
    }

    private void unreadable(Replication r, Context ctx, String error) {
        try {
            ReplicationWalStore.Row prev = ctx.previous().get(r.id());
            boolean stale = watchStaleness(r, prev, ctx);
            Wal p = prev == null ? null : prev.wal();
            Wal wal = p == null
                    ? new Wal(slotOf(r), false, null, null, null, null, Level.NONE.name(), false, null, error, ctx.now())
                    : new Wal(p.slot(), p.slotPresent(), p.slotActive(), p.walStatus(), p.retainedBytes(),
                    p.safeWalSize(), p.alertLevel(), p.needsFreshCopy() && !r.state().isActive(), p.reason(), error,
                    ctx.now());
            store.save(r.id(), wal, stale, prev != null && prev.cleanupPending() && !r.state().isActive());
        } catch (RuntimeException e) {
            log.warn("WAL guard: replication {}: reading not stored: {}", r.id(), e.getMessage());
        }
    }

    private boolean watchStaleness(Replication r, ReplicationWalStore.Row prev, Context ctx) {
        Instant last = ctx.reported().get(r.id());
        boolean stale = Staleness.of(r.state(), last, r.updatedAt(), ctx.now(), staleAfter).stale();
        if (stale && (prev == null || !prev.stale())) {
            events.publishEvent(new ReplicationWentStale(r.id(), r.tenantId(), r.state().name(), last, ctx.now()));
        }
        return stale;
    }

    private void alertOnRise(Replication r, SourceSlots.Slot slot, ReplicationWalStore.Row prev, Verdict v,
                             Instant now) {
        Level before = prev == null ? Level.NONE : Level.valueOf(prev.wal().alertLevel());
        if (v.level().compareTo(before) > 0) {
            events.publishEvent(new WalRetentionExceeded(r.id(), r.tenantId(), slotOf(r), v.level().name(),
                    slot.retainedBytes(), v.threshold(), slot.walStatus(), r.state().name(), now));
        }
    }

    private String reason(Replication r, SourceSlots.Slot slot, Verdict v) {
        if (v.action() == Action.DROP_LOST) {
            return "replication slot " + slotOf(r) + " lost WAL it still needed (wal_status=lost: the source removed "
                    + "segments past max_slot_wal_keep_size); changes in between are gone, so the guard dropped the "
                    + "slot: start the replication to copy the tenant afresh";
        }
        return "replication slot " + slotOf(r) + " of a " + r.state() + " replication retained " + slot.retainedBytes()
                + " bytes of WAL, past helios.wal-guard.max-retained-bytes=" + v.threshold()
                + "; the guard dropped it to protect the source's disk: start the replication to copy the tenant afresh";
    }

    private static String slotOf(Replication r) {
        return ReplicationNames.slot(r.id().toString());
    }

    @Override
    public void refresh() {
        metrics.refresh();
    }
}
