package io.helios.controlplane.walguard;

import io.helios.controlplane.HeliosProperties;
import io.helios.controlplane.replication.Replication;
import io.helios.controlplane.replication.ReplicationHealth.Wal;
import io.helios.controlplane.replication.ReplicationReports;
import io.helios.controlplane.replication.ReplicationService;
import io.helios.controlplane.replication.Staleness;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * Per-replication gauges of the WAL guard, tagged {@code replication} and {@code tenant}, rebuilt
 * from the database by {@link #refresh()} on every control-plane instance (so a scrape of any
 * replica sees them, and a deleted replication's series disappear):
 * {@code helios_replication_wal_retained_bytes}, {@code helios_replication_wal_safe_bytes},
 * {@code helios_replication_wal_status{status}} (1 for the slot's current wal_status, {@code absent}
 * when there is no slot), {@code helios_replication_stale} (0/1),
 * {@code helios_replication_last_report_age_seconds} (keeps growing when no report arrives, unlike
 * the worker's lag figures) and {@code helios_replication_needs_fresh_copy} (0/1). Plus counters
 * of passes, unreadable endpoints and dropped slots. Thread-safe.
 */
@Component
class WalGuardMetrics {

    private final ReplicationWalStore store;
    private final ReplicationService replications;
    private final ReplicationReports reports;
    private final Clock clock;
    private final Duration staleAfter;
    private final Series retained;
    private final Series safe;
    private final Series status;
    private final Series stale;
    private final Series reportAge;
    private final Series freshCopy;
    private final Counter runs;
    private final Counter endpointFailures;
    private final MeterRegistry registry;

    WalGuardMetrics(MeterRegistry registry, ReplicationWalStore store, ReplicationService replications,
                    ReplicationReports reports, Clock clock, HeliosProperties properties) {
        this.registry = registry;
        this.store = store;
        this.replications = replications;
        this.reports = reports;
        this.clock = clock;
        this.staleAfter = Staleness.bound(properties);
        this.retained = new Series(MultiGauge.builder("helios.replication.wal.retained").baseUnit("bytes")
                .description("WAL the replication's slot holds back on its source").register(registry));
        this.safe = new Series(MultiGauge.builder("helios.replication.wal.safe").baseUnit("bytes")
                .description("WAL that can still be written before the slot risks losing WAL (safe_wal_size)")
                .register(registry));
        this.status = new Series(MultiGauge.builder("helios.replication.wal.status")
                .description("1 for the slot's current wal_status (absent: no slot)").register(registry));
        this.stale = new Series(MultiGauge.builder("helios.replication.stale")
                .description("1 when an ACTIVE replication's worker has not reported within the stale bound")
                .register(registry));
        this.reportAge = new Series(MultiGauge.builder("helios.replication.last.report.age").baseUnit("seconds")
                .description("Age of the lease holder's last report (since the start when none)").register(registry));
        this.freshCopy = new Series(MultiGauge.builder("helios.replication.needs.fresh.copy")
                .description("1 when the WAL guard dropped the slot: the next start copies afresh").register(registry));
        this.runs = Counter.builder("helios.wal.guard.runs").description("WAL guard passes").register(registry);
        this.endpointFailures = Counter.builder("helios.maintenance.failures")
                .description("Endpoints or replications a maintenance pass could not check").register(registry);
    }

    void ran() {
        runs.increment();
    }

    void endpointFailed() {
        endpointFailures.increment();
    }

    void dropped(WalPolicy.Action reason) {
        Counter.builder("helios.wal.guard.slots.dropped").tag("reason", reason.name())
                .description("Slots the WAL guard dropped").register(registry).increment();
    }

    /** Rebuilds every per-replication series from the database. */
    void refresh() {
        Instant now = clock.instant();
        Map<UUID, Wal> wal = store.all().stream()
                .collect(Collectors.toMap(ReplicationWalStore.Row::replicationId, ReplicationWalStore.Row::wal));
        Map<UUID, Instant> reported = reports.lastReportTimes();
        Map<Tags, Double> retainedRows = new HashMap<>();
        Map<Tags, Double> safeRows = new HashMap<>();
        Map<Tags, Double> statusRows = new HashMap<>();
        Map<Tags, Double> staleRows = new HashMap<>();
        Map<Tags, Double> ageRows = new HashMap<>();
        Map<Tags, Double> freshRows = new HashMap<>();
        for (Replication r : replications.list()) {
            Tags tags = Tags.of("replication", r.id().toString(), "tenant", r.tenantId());
            Instant last = reported.get(r.id());
            Staleness s = Staleness.of(r.state(), last, r.updatedAt(), now, staleAfter);
            staleRows.put(tags, s.stale() ? 1.0 : 0.0);
            Instant since = last != null ? last : r.updatedAt();
            if (r.state().isActive() && since != null) {
                ageRows.put(tags, Math.max(0, Duration.between(since, now).toMillis()) / 1000.0);
            }
            Wal w = wal.get(r.id());
            if (w == null) {
                continue;
            }
            if (w.retainedBytes() != null) {
                retainedRows.put(tags, w.retainedBytes().doubleValue());
            }
            if (w.safeWalSize() != null) {
                safeRows.put(tags, w.safeWalSize().doubleValue());
            }
            statusRows.put(tags.and("status", w.slotPresent() && w.walStatus() != null
                    ? w.walStatus() : "absent"), 1.0);
            freshRows.put(tags, w.needsFreshCopy() && !r.state().isActive() ? 1.0 : 0.0);
        }
        retained.show(retainedRows);
        safe.show(safeRows);
        status.show(statusRows);
        stale.show(staleRows);
        reportAge.show(ageRows);
        freshCopy.show(freshRows);
    }

    /**
     * One multi-gauge whose series stay registered while their replication exists: a refresh
     * updates the values its gauges read, adds new series and removes gone ones, and never removes
     * and re-registers a series that stays (a scrape in between would have missed it).
     */
    private static final class Series {

        private final MultiGauge gauge;
        private final Map<Tags, Double> values = new ConcurrentHashMap<>();

        Series(MultiGauge gauge) {
            this.gauge = gauge;
        }

        void show(Map<Tags, Double> current) {
            values.putAll(current);
            List<MultiGauge.Row<?>> rows = new ArrayList<>();
            current.keySet().forEach(t -> rows.add(MultiGauge.Row.of(t, values, v -> v.getOrDefault(t, Double.NaN))));
            gauge.register(rows, false);
            values.keySet().retainAll(current.keySet());
        }
    }
}
