package io.helios.worker.replication;

import io.helios.core.lease.LeaseGrant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class ReplicationSupervisorTest {

    private final CountDownLatch gate = new CountDownLatch(1);
    private final ReplicationSupervisor supervisor = new ReplicationSupervisor(FakeRunner.blockingOn(gate));

    @AfterEach
    void openGate() {
        gate.countDown();
    }

    private static LeaseGrant running(String id, long epoch) {
        return new LeaseGrant(Fixtures.spec(id, 5000), epoch, "RUNNING", 0);
    }

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
    void aRunnersPhaseChangeReachesTheListenerThatHeartbeatsAtOnce() {
        java.util.concurrent.atomic.AtomicReference<LeaseConfirmation> given = new java.util.concurrent.atomic.AtomicReference<>();
        java.util.concurrent.atomic.AtomicInteger heard = new java.util.concurrent.atomic.AtomicInteger();
        ReplicationSupervisor s = new ReplicationSupervisor((l, leases) -> {
            given.set(leases);
            return FakeRunner.blockingOn(gate).create(l, leases);
        });
        s.onPhaseChange(heard::incrementAndGet);
        s.reconcile(List.of(running("r1", 1)));
        assertThat(given.get()).isNotNull();
        given.get().phaseChanged("r1");
        assertThat(heard.get()).isEqualTo(1);
        gate.countDown();
        s.stopAll(Duration.ofSeconds(10));
    }

    @Test
    void reportsPausedLeases() {
        supervisor.reconcile(List.of(paused("r9", 1)));
        assertThat(supervisor.reports()).singleElement().satisfies(r -> assertThat(r.phase()).isEqualTo("PAUSED"));
    }

    @Test
    void aLostLeaseIsDecidedAtOnceWhileItsRunnerStopsElsewhere() throws Exception {
        supervisor.reconcile(List.of(running("slow", 1)));
        FakeRunner slow = made("slow", 1);
        CompletableFuture<Void> reconciled = CompletableFuture.runAsync(() -> supervisor.reconcile(List.of()));
        await().atMost(Duration.ofSeconds(30)).until(reconciled::isDone);
        assertThat(slow.stopEntered.await(30, TimeUnit.SECONDS)).isTrue();
        assertThat(slow.stopped.getCount()).as("the stop is still blocked").isEqualTo(1);
        assertThat(supervisor.reports()).as("a lost lease reports nothing more").isEmpty();
        assertThat(supervisor.idle()).isFalse();
        gate.countDown();
        await().atMost(Duration.ofSeconds(30)).until(supervisor::idle);
    }

    @Test
    void aReGrantedReplicationStartsAgainOnlyAfterItsFormerRunnerStopped() throws Exception {
        supervisor.reconcile(List.of(running("moved", 1)));
        FakeRunner first = made("moved", 1);
        supervisor.reconcile(List.of(running("moved", 2)));
        FakeRunner second = made("moved", 2);
        assertThat(first.stopEntered.await(30, TimeUnit.SECONDS)).isTrue();
        assertThat(second.started).as("not while epoch 1 still runs").isFalse();
        gate.countDown();
        await().atMost(Duration.ofSeconds(30)).until(() -> second.started);
        assertThat(supervisor.reports()).singleElement().satisfies(r -> assertThat(r.epoch()).isEqualTo(2));
    }

    @Test
    void stopAllStopsEveryRunnerInParallelWithinItsBound() throws Exception {
        supervisor.reconcile(List.of(running("p1", 1), running("p2", 1), running("p3", 1)));
        CompletableFuture<Boolean> all = CompletableFuture.supplyAsync(() -> supervisor.stopAll(Duration.ofSeconds(60)));
        for (String id : List.of("p1", "p2", "p3")) {
            assertThat(made(id, 1).stopEntered.await(30, TimeUnit.SECONDS)).as("%s stops beside the others", id).isTrue();
        }
        assertThat(all).isNotDone();
        gate.countDown();
        assertThat(all.get(30, TimeUnit.SECONDS)).isTrue();
        supervisor.reconcile(List.of(running("late", 1)));
        assertThat(FakeRunner.MADE).as("a closed supervisor starts nothing").noneMatch(r -> r.id.equals("late"));
    }

    @Test
    void aShortBoundGivesUpWaitingForAStuckRunner() {
        supervisor.reconcile(List.of(running("stuck", 1)));
        assertThat(supervisor.stopAll(Duration.ofMillis(100))).isFalse();
    }

    private static FakeRunner made(String id, long epoch) {
        return FakeRunner.MADE.stream().filter(r -> r.id.equals(id) && r.epoch == epoch).reduce((a, b) -> b).orElseThrow();
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
