package io.helios.core.change;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class SourceTransactionTest {

    private static final Relation T = new Relation(1, new TableId("public", "t"),
            List.of(new Column("id", 20, -1, true), new Column("v", 25, -1, false)), 'd');
    private static final List<Change> CHANGES = List.of(Change.insert(T, RowImage.of("1", "a")),
            Change.delete(T, RowImage.of("2", null)));

    @Test
    void carriesTheSizeItsAssemblerCounted() {
        SourceTransaction tx = new SourceTransaction(7, new Lsn(10), new Lsn(20), Instant.EPOCH, CHANGES, 12_345);

        assertThat(tx.estimatedBytes()).isEqualTo(12_345);
    }

    @Test
    void countsTheSizeWhenItsBuilderDidNot() {
        SourceTransaction tx = new SourceTransaction(7, new Lsn(10), new Lsn(20), Instant.EPOCH, CHANGES);

        assertThat(tx.estimatedBytes()).isEqualTo(CHANGES.get(0).estimatedBytes() + CHANGES.get(1).estimatedBytes());
    }

    @Test
    void theSizeEstimateIsNotPartOfTheTransactionsIdentity() {
        SourceTransaction counted = new SourceTransaction(7, new Lsn(10), new Lsn(20), Instant.EPOCH, CHANGES, 1);
        SourceTransaction recounted = new SourceTransaction(7, new Lsn(10), new Lsn(20), Instant.EPOCH, CHANGES);

        assertThat(counted).isEqualTo(recounted).hasSameHashCodeAs(recounted);
        assertThat(counted).isNotEqualTo(new SourceTransaction(8, new Lsn(10), new Lsn(20), Instant.EPOCH, CHANGES, 1));
    }
}
