package io.helios.controlplane.lease;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.stereotype.Component;

/** Counters of the lease protocol: heartbeats received, leases granted, leases expired. Thread-safe. */
@Component
class LeaseMetrics {

    private final Counter heartbeats;
    private final Counter granted;
    private final Counter expired;

    LeaseMetrics(MeterRegistry registry) {
        this.heartbeats = Counter.builder("helios.heartbeats").description("Worker heartbeats received").register(registry);
        this.granted = Counter.builder("helios.leases.granted").description("Leases granted to workers").register(registry);
        this.expired = Counter.builder("helios.leases.expired")
                .description("Leases expired because their worker stopped heartbeating").register(registry);
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
}
