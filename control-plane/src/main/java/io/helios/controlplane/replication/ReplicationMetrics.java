package io.helios.controlplane.replication;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.stereotype.Component;

/** Gauge {@code helios.replications} tagged by state, counted from the database at each scrape. */
@Component
class ReplicationMetrics {

    ReplicationMetrics(MeterRegistry registry, ReplicationRepository replications) {
        for (ReplicationState state : ReplicationState.values()) {
            Gauge.builder("helios.replications", replications, r -> r.countByState(state.name()))
                    .tag("state", state.name())
                    .description("Replications by lifecycle state")
                    .register(registry);
        }
    }
}
