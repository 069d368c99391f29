package io.helios.worker.replication;

import io.helios.core.apply.ConflictStrategy;
import io.helios.core.lease.EndpointSpec;
import io.helios.core.lease.ReplicationSpec;
import io.helios.core.tenant.TenancyModel;
import io.helios.worker.config.WorkerProperties;
import org.springframework.util.unit.DataSize;

import java.time.Duration;
import java.util.List;

/** Settings and specs for the worker's fast tests; nothing here reaches a database. */
final class Fixtures {

    private Fixtures() {
    }

    static WorkerProperties.Apply apply(int maxTransactions, int maxRows) {
        return new WorkerProperties.Apply(maxTransactions, maxRows, Duration.ofMillis(10), 10, DataSize.ofMegabytes(1),
                DataSize.ofMegabytes(64), DataSize.ofMegabytes(16), Duration.ofMillis(50), "", Duration.ofSeconds(10), 2,
                DataSize.ofMegabytes(64));
    }

    static WorkerProperties.Retry retry(Duration initialBackoff) {
        return new WorkerProperties.Retry(initialBackoff, Duration.ofSeconds(30), Duration.ofSeconds(60));
    }

    static ReplicationSpec spec(String id, int maxBatchRows) {
        EndpointSpec e = new EndpointSpec("e", "e", "r", "jdbc:postgresql://127.0.0.1:1/x", "u", "");
        return new ReplicationSpec(id, "t", e, e, TenancyModel.SCHEMA, "s", "s", null, List.of(), List.of(),
                ConflictStrategy.ERROR, 5000, maxBatchRows, 128);
    }
}
