package io.helios.controlplane.lease;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class LeaseBalanceTest {

    private static final Instant T0 = Instant.parse("2030-01-01T00:00:00Z");
    private static final Instant OLD = T0.minus(Duration.ofMinutes(10));

    @Test
    void fairShareIsTheCeilingOfActiveOverLiveWorkers() {
        assertThat(LeaseBalance.fairShare(12, 3)).isEqualTo(4);
        assertThat(LeaseBalance.fairShare(12, 4)).isEqualTo(3);
        assertThat(LeaseBalance.fairShare(13, 4)).isEqualTo(4);
        assertThat(LeaseBalance.fairShare(0, 4)).isZero();
        assertThat(LeaseBalance.fairShare(5, 0)).as("the caller is always live").isEqualTo(5);
    }

    @Test
    void roomIsBoundedByCapacityAndFairShare() {
        assertThat(LeaseBalance.room(10, 3, 0)).isEqualTo(3);
        assertThat(LeaseBalance.room(1, 3, 0)).isEqualTo(1);
        assertThat(LeaseBalance.room(10, 3, 5)).isZero();
    }

    @Test
    void aJoiningWorkerTakesOneFromEachOverloadedWorkerUpToMaxMoves() {
        List<LeaseBalance.Held> leases = new ArrayList<>();
        leases.addAll(held("a", 4, OLD, false));
        leases.addAll(held("b", 4, OLD, false));
        leases.addAll(held("c", 4, OLD, false));
        List<UUID> moves = LeaseBalance.toMove("d", 3, 3, 10, T0, leases);
        assertThat(moves).hasSize(3);
        assertThat(moves.stream().map(id -> holder(leases, id)).toList()).containsExactlyInAnyOrder("a", "b", "c");
        assertThat(LeaseBalance.toMove("d", 3, 3, 2, T0, leases)).as("max moves per heartbeat").hasSize(2);
    }

    @Test
    void neverTakesAWorkerBelowItsFairShare() {
        List<LeaseBalance.Held> leases = new ArrayList<>();
        leases.addAll(held("a", 4, OLD, false));
        leases.addAll(held("b", 3, OLD, false));
        leases.addAll(held("c", 3, OLD, false));
        // 10 active, 4 live: fair share 3; only a is above it, by one
        assertThat(LeaseBalance.toMove("d", 3, 3, 10, T0, leases)).singleElement()
                .satisfies(id -> assertThat(holder(leases, id)).isEqualTo("a"));
        List<LeaseBalance.Held> balanced = new ArrayList<>(held("a", 3, OLD, false));
        balanced.addAll(held("b", 3, OLD, false));
        assertThat(LeaseBalance.toMove("c", 2, 3, 10, T0, balanced)).as("no flapping at the share").isEmpty();
    }

    @Test
    void leasesYoungerThanTheDwellTimeStay() {
        List<LeaseBalance.Held> leases = new ArrayList<>(held("a", 6, T0.plusSeconds(1), false));
        assertThat(LeaseBalance.toMove("b", 3, 3, 10, T0, leases)).isEmpty();
        leases.addAll(held("a", 1, T0, false));
        assertThat(LeaseBalance.toMove("b", 3, 3, 10, T0, leases)).as("granted exactly at the cutoff").hasSize(1);
    }

    @Test
    void prefersLeasesThatAreNotCopyingThenTheMostLoadedWorker() {
        List<LeaseBalance.Held> leases = new ArrayList<>();
        leases.addAll(held("a", 5, OLD, true));
        leases.addAll(held("a", 1, OLD.plusSeconds(1), false));
        leases.addAll(held("b", 4, OLD, false));
        // 10 on two workers, a third joins: fair share 4; a gives 2, b gives none
        List<UUID> moves = LeaseBalance.toMove("c", 4, 4, 10, T0, leases);
        assertThat(moves).hasSize(2);
        assertThat(copying(leases, moves.get(0))).as("the non-copying lease moves first").isFalse();
        assertThat(copying(leases, moves.get(1))).isTrue();
        assertThat(moves.stream().map(id -> holder(leases, id)).distinct().toList()).containsExactly("a");
    }

    @Test
    void theTakerNeverTakesFromItself() {
        List<LeaseBalance.Held> leases = new ArrayList<>(held("a", 6, OLD, false));
        assertThat(LeaseBalance.toMove("a", 3, 3, 10, T0, leases)).isEmpty();
    }

    private static List<LeaseBalance.Held> held(String worker, int n, Instant grantedAt, boolean copying) {
        List<LeaseBalance.Held> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(new LeaseBalance.Held(UUID.randomUUID(), worker, grantedAt, copying));
        }
        return out;
    }

    private static String holder(List<LeaseBalance.Held> leases, UUID id) {
        return leases.stream().filter(l -> l.replicationId().equals(id)).findFirst().orElseThrow().workerId();
    }

    private static boolean copying(List<LeaseBalance.Held> leases, UUID id) {
        return leases.stream().filter(l -> l.replicationId().equals(id)).findFirst().orElseThrow().copying();
    }
}
