package io.helios.worker.replication;

import io.helios.core.lease.Heartbeat;
import io.helios.core.lease.LeaseGrant;
import io.helios.worker.config.WorkerProperties;
import io.helios.worker.lease.ControlPlaneClient;
import io.helios.worker.lease.IdentityRefusedException;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.LivenessState;
import io.helios.worker.lease.LeaseKeeper;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.web.client.RestClient;

import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The lease keeper with the supervisor and fake runners behind a scripted control plane:
 * heartbeats go on while a runner is stuck stopping, the worker stops applying on the TTL the
 * control plane granted when it cannot renew, a shutdown stops the runners before it
 * releases the leases, and a control plane that refuses the worker's identity stops its start
 * (or, later, marks it broken).
 */
class LeaseKeeperWithRunnersTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private final CountDownLatch gate = new CountDownLatch(1);
    private final ReplicationSupervisor supervisor = new ReplicationSupervisor(FakeRunner.blockingOn(gate));
    private final ScriptedControlPlane controlPlane = new ScriptedControlPlane();
    // a configured TTL of a minute: only the TTL the control plane grants can make the worker stop in time
    private final List<Object> events = new CopyOnWriteArrayList<>();
    private final LeaseKeeper keeper = new LeaseKeeper(controlPlane, supervisor, PROPERTIES, new SimpleMeterRegistry(),
            events::add);

    private static final WorkerProperties PROPERTIES = new WorkerProperties(
            new WorkerProperties.Worker("keeper-test", "http://127.0.0.1:1", 4, Duration.ofMillis(50),
                    Duration.ofSeconds(60), "unused", null, new WorkerProperties.OAuth2(null, null, null, null, null),
                    "sub", "worker:", null, Duration.ofSeconds(60)),
            Fixtures.apply(10, 10),
            new WorkerProperties.Secrets("k", Map.of("k", Base64.getEncoder().encodeToString(new byte[32]))),
            new WorkerProperties.Broker(false), new WorkerProperties.Capture(WorkerProperties.Engine.PGOUTPUT),
            Fixtures.retry(Duration.ofMillis(500)));

    @AfterEach
    void tearDown() {
        gate.countDown();
        if (keeper.isRunning()) {
            keeper.stop();
        }
    }

    @Test
    void heartbeatsGoOnWhileARunnerIsStuckStopping() throws Exception {
        controlPlane.answer = () -> answer(60_000, lease("stuck", 1));
        keeper.start();
        await().atMost(WAIT).until(() -> made("stuck") != null && made("stuck").started);
        controlPlane.answer = () -> answer(60_000);
        assertThat(made("stuck").stopEntered.await(30, TimeUnit.SECONDS)).isTrue();
        int beats = controlPlane.requests.size();
        await().atMost(WAIT).until(() -> controlPlane.requests.size() >= beats + 5);
        assertThat(made("stuck").stopped.getCount()).as("the stop is still blocked").isEqualTo(1);
    }

    @Test
    void stopsApplyingOnTheGrantedTtlWhenItCannotRenew() throws Exception {
        controlPlane.answer = () -> answer(900, lease("cut-off", 1));
        keeper.start();
        await().atMost(WAIT).until(() -> made("cut-off") != null && made("cut-off").started);
        gate.countDown();
        controlPlane.answer = () -> {
            throw new IllegalStateException("control plane unreachable");
        };
        assertThat(made("cut-off").stopped.await(30, TimeUnit.SECONDS))
                .as("stopped well before the configured one-minute TTL").isTrue();
        assertThat(supervisor.reports()).isEmpty();
    }

    @Test
    void shutdownStopsTheRunnersThenReleasesTheLeases() throws Exception {
        controlPlane.answer = () -> answer(60_000, lease("s1", 1), lease("s2", 1));
        keeper.start();
        await().atMost(WAIT).until(() -> made("s1") != null && made("s2") != null && made("s2").started);
        CompletableFuture<Void> stopping = CompletableFuture.runAsync(keeper::stop);
        assertThat(made("s1").stopEntered.await(30, TimeUnit.SECONDS)).isTrue();
        assertThat(made("s2").stopEntered.await(30, TimeUnit.SECONDS)).as("in parallel").isTrue();
        assertThat(controlPlane.requests).noneMatch(r -> Boolean.TRUE.equals(r.leaving()));
        gate.countDown();
        stopping.get(30, TimeUnit.SECONDS);
        Heartbeat.Request last = controlPlane.requests.get(controlPlane.requests.size() - 1);
        assertThat(last.leaving()).as("the last heartbeat releases the leases").isTrue();
        assertThat(last.capacity()).isZero();
        assertThat(controlPlane.requests.stream().filter(r -> Boolean.TRUE.equals(r.leaving()))).hasSize(1);
    }

    @Test
    void aRefusedIdentityStopsTheStartWithTheControlPlanesReason() {
        controlPlane.answer = () -> {
            throw new IdentityRefusedException(403, "the control plane refused worker 'keeper-test' with 403: this"
                    + " credential belongs to worker 'other', not to worker 'keeper-test'", null);
        };
        assertThatThrownBy(keeper::start).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("belongs to worker 'other'");
        assertThat(keeper.isRunning()).isFalse();
    }

    @Test
    void aCredentialRefusedLaterMarksTheWorkerBroken() {
        controlPlane.answer = () -> answer(60_000);
        keeper.start();
        controlPlane.answer = () -> {
            throw new IdentityRefusedException(401, "the control plane refused worker 'keeper-test' with 401", null);
        };
        await().atMost(WAIT).until(() -> events.stream().anyMatch(
                e -> e instanceof AvailabilityChangeEvent<?> a && a.getState() == LivenessState.BROKEN));
    }

    private static FakeRunner made(String id) {
        return FakeRunner.MADE.stream().filter(r -> r.id.equals(id)).reduce((a, b) -> b).orElse(null);
    }

    private static LeaseGrant lease(String id, long epoch) {
        return new LeaseGrant(Fixtures.spec(id, 5000), epoch, "RUNNING", 0);
    }

    private static Heartbeat.Response answer(long ttlMillis, LeaseGrant... leases) {
        return new Heartbeat.Response(List.of(leases), 20, ttlMillis);
    }

    /** Answers heartbeats from a script and records every request. */
    static final class ScriptedControlPlane extends ControlPlaneClient {

        final List<Heartbeat.Request> requests = new CopyOnWriteArrayList<>();
        volatile Supplier<Heartbeat.Response> answer = () -> answer(60_000);

        ScriptedControlPlane() {
            super(RestClient.builder(), PROPERTIES, io.helios.security.client.BearerTokenSource.fixed("unused"));
        }

        @Override
        public Heartbeat.Response heartbeat(String workerId, Heartbeat.Request request) {
            requests.add(request);
            return answer.get();
        }
    }
}
