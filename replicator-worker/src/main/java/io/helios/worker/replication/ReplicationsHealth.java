package io.helios.worker.replication;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/** Health detail: the phase of every replication on this worker. A failed replication does not make the worker unhealthy. */
@Component
public class ReplicationsHealth implements HealthIndicator {

    private final ReplicationSupervisor supervisor;

    public ReplicationsHealth(ReplicationSupervisor supervisor) {
        this.supervisor = supervisor;
    }

    @Override
    public Health health() {
        return Health.up().withDetails(supervisor.phases()).build();
    }
}
