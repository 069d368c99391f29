package io.helios.worker.replication;

import io.helios.core.change.SourceTransaction;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class GroupCollectorTest {

    private static final Duration FIRST_WAIT = Duration.ofMillis(200);
    private static final Duration NO_BUDGET_LIMIT = Duration.ofHours(1);

    private final FakeCaptureEngine engine = new FakeCaptureEngine();

    private GroupCollector collector(int maxTransactions, long maxRows, long maxBytes, Duration lagBudget) {
        return new GroupCollector(engine, new GroupLimits(maxTransactions, maxRows, maxBytes, lagBudget), engine::nanoTime);
    }

    private GroupCollector collector(int maxTransactions, long maxRows) {
        return collector(maxTransactions, maxRows, Long.MAX_VALUE, NO_BUDGET_LIMIT);
    }

    private static List<Integer> sizes(GroupCollector collector) throws InterruptedException {
        List<Integer> sizes = new ArrayList<>();
        for (GroupCollector.Group g = collector.next(FIRST_WAIT); !g.isEmpty(); g = collector.next(FIRST_WAIT)) {
            sizes.add(g.transactions().size());
        }
        return sizes;
    }

    @Test
    void takesEveryTransactionThatHasArrivedInCommitOrder() throws Exception {
        SourceTransaction a = engine.arrive(1);
        SourceTransaction b = engine.arrive(2);
        SourceTransaction c = engine.arrive(1);

        GroupCollector.Group group = collector(100, 1000).next(FIRST_WAIT);

        assertThat(group.transactions()).containsExactly(a, b, c);
        assertThat(group.rows()).isEqualTo(4);
        assertThat(group.bytes()).isEqualTo(a.estimatedBytes() + b.estimatedBytes() + c.estimatedBytes());
    }

    @Test
    void anIdleStreamsTransactionIsHandedOutAtOnce() throws Exception {
        engine.arrive(1);

        assertThat(collector(100, 1000).next(FIRST_WAIT).transactions()).hasSize(1);
        assertThat(engine.polls()).as("waits for the first only, then looks without waiting")
                .containsExactly(FIRST_WAIT, Duration.ZERO);
    }

    @Test
    void aSpilledTransactionMakesAGroupAlone(@org.junit.jupiter.api.io.TempDir java.nio.file.Path spill) throws Exception {
        SourceTransaction a = engine.arrive(1);
        SourceTransaction big = engine.arriveSpilled(3, spill);
        SourceTransaction c = engine.arrive(1);
        GroupCollector collector = collector(100, 1000);

        assertThat(collector.next(FIRST_WAIT).transactions()).containsExactly(a);
        assertThat(collector.next(FIRST_WAIT).transactions()).containsExactly(big);
        assertThat(collector.next(FIRST_WAIT).transactions()).containsExactly(c);
        assertThat(big.isSpilled()).isTrue();
        assertThat(big.rowCount()).isEqualTo(3);
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

        assertThat(sizes(collector(2, 1000))).containsExactly(2, 2, 1);
    }

    @Test
    void aTransactionThatWouldPassTheRowBoundStartsTheNextGroup() throws Exception {
        SourceTransaction a = engine.arrive(3);
        SourceTransaction b = engine.arrive(3);
        SourceTransaction c = engine.arrive(3);
        GroupCollector collector = collector(100, 7);

        assertThat(collector.next(FIRST_WAIT).transactions()).containsExactly(a, b);
        GroupCollector.Group next = collector.next(FIRST_WAIT);
        assertThat(next.transactions()).containsExactly(c);
        assertThat(next.waitNanos()).as("the kept transaction needs no wait").isZero();
    }

    @Test
    void aTransactionLargerThanTheRowBoundMakesAGroupAlone() throws Exception {
        SourceTransaction huge = engine.arrive(50);
        SourceTransaction small = engine.arrive(1);
        GroupCollector collector = collector(100, 10);

        assertThat(collector.next(FIRST_WAIT).transactions()).containsExactly(huge);
        assertThat(collector.next(FIRST_WAIT).transactions()).containsExactly(small);
    }

    @Test
    void stopsAtTheByteBoundTheReaderCounted() throws Exception {
        engine.arrive(1, 400);
        engine.arrive(1, 400);
        engine.arrive(1, 400);
        engine.arrive(1, 5_000);
        engine.arrive(1, 10);

        assertThat(sizes(collector(100, 1000, 1_000, NO_BUDGET_LIMIT))).containsExactly(2, 1, 1, 1);
    }

    @Test
    void stopsTakingOnceTheLagBudgetIsSpent() throws Exception {
        engine.pollsTaking(Duration.ofMillis(20));
        for (int i = 0; i < 10; i++) {
            engine.arrive(1);
        }

        // taken at 20 ms; polls at 40, 60 and 80 ms start within the 50 ms budget, the next would not
        assertThat(sizes(collector(100, 1000, Long.MAX_VALUE, Duration.ofMillis(50)))).containsExactly(4, 4, 2);
    }

    @Test
    void transactionsStayWholeAndInCommitOrderAcrossGroups() throws Exception {
        List<SourceTransaction> arrived = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            arrived.add(engine.arrive(1 + i % 4, 100 + 37L * i));
        }
        GroupCollector collector = collector(3, 6, 500, NO_BUDGET_LIMIT);

        List<SourceTransaction> applied = new ArrayList<>();
        for (GroupCollector.Group g = collector.next(FIRST_WAIT); !g.isEmpty(); g = collector.next(FIRST_WAIT)) {
            assertThat(g.transactions()).hasSizeLessThanOrEqualTo(3);
            assertThat(g.rows() <= 6 || g.transactions().size() == 1).isTrue();
            assertThat(g.bytes() <= 500 || g.transactions().size() == 1).isTrue();
            applied.addAll(g.transactions());
        }
        assertThat(applied).containsExactlyElementsOf(arrived);
    }
}
