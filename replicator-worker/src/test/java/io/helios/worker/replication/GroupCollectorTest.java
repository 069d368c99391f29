package io.helios.worker.replication;

import io.helios.core.change.SourceTransaction;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class GroupCollectorTest {

    private static final Duration FIRST_WAIT = Duration.ofMillis(200);

    private final FakeCaptureEngine engine = new FakeCaptureEngine();

    private GroupCollector collector(int maxTransactions, long maxRows) {
        return new GroupCollector(engine, new GroupLimits(maxTransactions, maxRows), engine::nanoTime);
    }

    @Test
    void takesEveryTransactionThatHasArrivedInCommitOrder() throws Exception {
        SourceTransaction a = engine.arrive(1);
        SourceTransaction b = engine.arrive(2);
        SourceTransaction c = engine.arrive(1);

        GroupCollector.Group group = collector(100, 1000).next(FIRST_WAIT);

        assertThat(group.transactions()).containsExactly(a, b, c);
        assertThat(group.rows()).isEqualTo(4);
    }

    @Test
    void waitsOnlyForTheFirstTransactionOfAGroup() throws Exception {
        engine.arrive(1);

        collector(100, 1000).next(FIRST_WAIT);

        assertThat(engine.polls()).containsExactly(FIRST_WAIT, Duration.ZERO);
    }

    @Test
    void nothingArrivedIsAnEmptyGroup() throws Exception {
        assertThat(collector(100, 1000).next(FIRST_WAIT).isEmpty()).isTrue();
    }

    @Test
    void stopsAtTheTransactionBound() throws Exception {
        for (int i = 0; i < 5; i++) {
            engine.arrive(1);
        }
        GroupCollector collector = collector(2, 1000);

        assertThat(collector.next(FIRST_WAIT).transactions()).hasSize(2);
        assertThat(collector.next(FIRST_WAIT).transactions()).hasSize(2);
        assertThat(collector.next(FIRST_WAIT).transactions()).hasSize(1);
    }

    @Test
    void aTransactionLargerThanTheRowBoundMakesAGroupAlone() throws Exception {
        SourceTransaction huge = engine.arrive(50);
        engine.arrive(1);

        assertThat(collector(100, 10).next(FIRST_WAIT).transactions()).containsExactly(huge);
    }
}
