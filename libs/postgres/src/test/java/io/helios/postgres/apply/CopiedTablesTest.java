package io.helios.postgres.apply;

import io.helios.core.change.Change;
import io.helios.core.change.Column;
import io.helios.core.change.Lsn;
import io.helios.core.change.Relation;
import io.helios.core.change.RowImage;
import io.helios.core.change.SourceTransaction;
import io.helios.core.change.TableId;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Which changes of a table copied while streaming the applier drops: those its copy already holds. */
class CopiedTablesTest {

    private static final Relation NEW = relation(1, "fresh");
    private static final Relation OLD = relation(2, "known");

    private static Relation relation(int oid, String name) {
        return new Relation(oid, new TableId("app", name), List.of(new Column("id", 23, -1, true)), 'd');
    }

    private static SourceTransaction tx(long end, Change... changes) {
        return new SourceTransaction(end, new Lsn(end - 1), new Lsn(end), Instant.EPOCH, List.of(changes));
    }

    private static Change ins(Relation r, String id) {
        return Change.insert(r, RowImage.of(id));
    }

    @Test
    void dropsTheCopiedTablesChangesUpToTheCopyAndKeepsTheTransactions() {
        CopiedTables copied = new CopiedTables();
        copied.copied(NEW.table(), new Lsn(100));

        List<SourceTransaction> out = copied.withoutCopied(List.of(
                tx(99, ins(NEW, "1"), ins(OLD, "2")),
                tx(100, ins(NEW, "3")),
                tx(101, ins(NEW, "4"), ins(OLD, "5"))));

        assertThat(out).hasSize(3);
        assertThat(out.get(0).changes()).containsExactly(ins(OLD, "2"));
        assertThat(out.get(1).changes()).isEmpty();
        assertThat(out.get(1).endLsn()).isEqualTo(new Lsn(100));
        assertThat(out.get(2).changes()).containsExactly(ins(NEW, "4"), ins(OLD, "5"));
    }

    @Test
    void truncatesLoseOnlyTheCopiedTables() {
        CopiedTables copied = new CopiedTables();
        copied.copied(NEW.table(), new Lsn(100));

        List<SourceTransaction> out = copied.withoutCopied(List.of(
                tx(50, Change.truncate(List.of(NEW, OLD))), tx(60, Change.truncate(List.of(NEW)))));

        assertThat(out.get(0).changes()).containsExactly(Change.truncate(List.of(OLD)));
        assertThat(out.get(1).changes()).isEmpty();
    }

    @Test
    void forgetsATableOnceTheCheckpointPassedItsCopy() {
        CopiedTables copied = new CopiedTables();
        copied.copied(NEW.table(), new Lsn(100));

        copied.passed(new Lsn(99));
        assertThat(copied.isEmpty()).isFalse();
        copied.passed(new Lsn(100));
        assertThat(copied.isEmpty()).isTrue();
    }
}
