package io.helios.worker.replication;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class GroupLimitsTest {

    @Test
    void aStricterTiersSmallerBatchWinsOverTheWorkersBound() {
        GroupLimits limits = GroupLimits.of(Fixtures.apply(2000, 50_000), Fixtures.spec("r", 200));

        assertThat(limits.maxRows()).isEqualTo(200);
    }

    @Test
    void theWorkersBoundWinsWhenItIsTheSmallerOne() {
        GroupLimits limits = GroupLimits.of(Fixtures.apply(2000, 1000), Fixtures.spec("r", 20_000));

        assertThat(limits.maxRows()).isEqualTo(1000);
    }

    @Test
    void aSpecWithoutATierBoundKeepsTheWorkersBound() {
        assertThat(GroupLimits.of(Fixtures.apply(2000, 50_000), Fixtures.spec("r", 0)).maxRows()).isEqualTo(50_000);
        assertThat(GroupLimits.of(Fixtures.apply(2000, 50_000), Fixtures.spec("r", -1)).maxRows()).isEqualTo(50_000);
    }

    @Test
    void theTransactionBoundIsTheWorkers() {
        assertThat(GroupLimits.of(Fixtures.apply(7, 50_000), Fixtures.spec("r", 200)).maxTransactions()).isEqualTo(7);
    }

    @Test
    void carriesTheWorkersByteBoundAndLagBudget() {
        GroupLimits limits = GroupLimits.of(Fixtures.apply(7, 50_000), Fixtures.spec("r", 200));

        assertThat(limits.maxBytes()).isEqualTo(16L << 20);
        assertThat(limits.lagBudget()).isEqualTo(java.time.Duration.ofMillis(50));
    }
}
