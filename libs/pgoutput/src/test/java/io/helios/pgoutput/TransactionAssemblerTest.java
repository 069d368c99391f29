package io.helios.pgoutput;

import io.helios.core.capture.SpillingChangeBuffer;
import io.helios.core.change.Change;
import io.helios.core.change.Column;
import io.helios.core.change.Lsn;
import io.helios.core.change.Relation;
import io.helios.core.change.RowImage;
import io.helios.core.change.SourceTransaction;
import io.helios.core.change.TableId;
import io.helios.core.spill.SpillDirectory;
import io.helios.core.spill.Spills;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class TransactionAssemblerTest {

    private static final Relation T = new Relation(1, new TableId("public", "t"),
            List.of(new Column("id", 20, -1, true), new Column("v", 25, -1, false)), 'd');

    @Test
    void theCommittedTransactionCarriesTheSizeCountedWhileAssembling() {
        TransactionAssembler assembler = new TransactionAssembler(
                new SpillingChangeBuffer(1 << 20, new Spills(SpillDirectory.defaultRoot())));
        assembler.begin(new PgOutputMessage.Begin(5, new Lsn(100), Instant.EPOCH));
        Change insert = Change.insert(T, RowImage.of("1", "a"));
        Change update = Change.update(T, null, RowImage.of("1", "bb"));
        assembler.add(insert);
        assembler.add(update);

        SourceTransaction tx = assembler.commit(new PgOutputMessage.Commit(new Lsn(100), new Lsn(108), Instant.EPOCH));

        assertThat(tx.estimatedBytes()).isEqualTo(insert.estimatedBytes() + update.estimatedBytes())
                .isEqualTo(assembler.bytes());
        assertThat(tx.changes()).containsExactly(insert, update);
    }
}
