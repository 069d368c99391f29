package io.helios.controlplane.sweeper;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.stereotype.Component;

/**
 * {@code helios_orphans{kind}}: orphaned slots and publications currently known (read from the
 * database at each scrape, so every control-plane instance shows them);
 * {@code helios_orphans_dropped_total{kind}}; and failures to read an endpoint. Thread-safe.
 */
@Component
class SweeperMetrics {

    private final MeterRegistry registry;
    private final Counter failures;

    SweeperMetrics(MeterRegistry registry, OrphanStore store) {
        this.registry = registry;
        for (String kind : new String[]{OrphanSweeper.SLOT, OrphanSweeper.PUBLICATION}) {
            Gauge.builder("helios.orphans", store, s -> s.count(kind)).tag("kind", kind)
                    .description("helios_* slots and publications no live replication owns").register(registry);
        }
        this.failures = Counter.builder("helios.maintenance.failures")
                .description("Endpoints or replications a maintenance pass could not check").register(registry);
    }

    void dropped(String kind) {
        Counter.builder("helios.orphans.dropped").tag("kind", kind).description("Orphans the sweeper dropped")
                .register(registry).increment();
    }

    void endpointFailed() {
        failures.increment();
    }
}
