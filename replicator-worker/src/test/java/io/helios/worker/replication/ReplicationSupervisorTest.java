package io.helios.worker.replication;

import io.helios.core.lease.LeaseGrant;
import io.helios.worker.config.WorkerProperties;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

class ReplicationSupervisorTest {

    private final ReplicationSupervisor supervisor = new ReplicationSupervisor(new WorkerProperties(
            new WorkerProperties.Worker("w", "http://127.0.0.1:1", 4, Duration.ofSeconds(1), Duration.ofSeconds(5),
                    new WorkerProperties.Auth(null, null, null, null, null)),
            Fixtures.apply(10, 10),
            new WorkerProperties.Secrets("k", Map.of("k", Base64.getEncoder().encodeToString(new byte[32]))),
            new WorkerProperties.Broker(false), new WorkerProperties.Capture(WorkerProperties.Engine.PGOUTPUT),
            Fixtures.retry(Duration.ofMillis(500))),
            new SimpleMeterRegistry());

    private static LeaseGrant paused(String id, long epoch) {
        return new LeaseGrant(Fixtures.spec(id, 5000), epoch, "PAUSED", 0);
    }

    @Test
    void confirmsALeaseOnlyFromAHeartbeatAnswerAfterTheQuestion() throws Exception {
        supervisor.reconcile(List.of(paused("r1", 3)));
        CompletableFuture<Boolean> held = CompletableFuture.supplyAsync(() -> ask("r1", 3));
        CompletableFuture<Boolean> other = CompletableFuture.supplyAsync(() -> ask("r1", 2));
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> {
            supervisor.reconcile(List.of(paused("r1", 3)));
            return held.isDone() && other.isDone();
        });
        assertThat(held.get()).isTrue();
        assertThat(other.get()).isFalse();
    }

    @Test
    void aLeaseMissingFromTheNextAnswerIsNotConfirmed() throws Exception {
        supervisor.reconcile(List.of(paused("r1", 3)));
        CompletableFuture<Boolean> held = CompletableFuture.supplyAsync(() -> ask("r1", 3));
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> {
            supervisor.reconcile(List.of());
            return held.isDone();
        });
        assertThat(held.get()).isFalse();
        assertThat(supervisor.reports()).isEmpty();
    }

    @Test
    void reportsPausedLeases() {
        supervisor.reconcile(List.of(paused("r9", 1)));
        assertThat(supervisor.reports()).singleElement().satisfies(r -> assertThat(r.phase()).isEqualTo("PAUSED"));
    }

    private boolean ask(String id, long epoch) {
        try {
            return supervisor.stillHeld(id, epoch, Duration.ofSeconds(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
