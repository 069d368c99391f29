package io.helios.controlplane.lease;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.stereotype.Component;

/**
 * Meters of the lease protocol: heartbeats received, leases granted, expired, moved by
 * rebalancing and released by leaving workers, and the leases held now (read from the
 * database at each scrape, so every control-plane replica shows the same figure). Thread-safe.
 */
@Component
class LeaseMetrics {

    private final Counter heartbeats;
    private final Counter granted;
    private final Counter expired;
    private final Counter moved;
    private final Counter released;
    private final Counter refusedReports;

    LeaseMetrics(MeterRegistry registry, LeaseRepository leases) {
        this.heartbeats = Counter.builder("helios.heartbeats").description("Worker heartbeats received").register(registry);
        this.granted = Counter.builder("helios.leases.granted").description("Leases granted to workers").register(registry);
        this.expired = Counter.builder("helios.leases.expired")
                .description("Leases expired because their worker stopped heartbeating").register(registry);
        this.moved = Counter.builder("helios.leases.moved")
                .description("Leases moved from a worker above its fair share to one below it").register(registry);
        this.released = Counter.builder("helios.leases.released")
                .description("Leases released by workers shutting down").register(registry);
        this.refusedReports = Counter.builder("helios.leases.reports.refused")
                .description("Worker reports refused: the worker did not hold that lease at the reported epoch").register(registry);
        Gauge.builder("helios.leases.held", leases, LeaseRepository::countAll)
                .description("Replications leased to a worker now").register(registry);
    }

    void heartbeat() {
        heartbeats.increment();
    }

    void granted(int n) {
        granted.increment(n);
    }

    void expired(int n) {
        expired.increment(n);
    }

    void moved(int n) {
        moved.increment(n);
    }

    void reportRefused() {
        refusedReports.increment();
    }

    void released(int n) {
        released.increment(n);
    }
}
