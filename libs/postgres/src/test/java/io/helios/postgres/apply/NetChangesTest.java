package io.helios.postgres.apply;

import io.helios.core.change.Change;
import io.helios.core.change.Column;
import io.helios.core.change.Relation;
import io.helios.core.change.RowImage;
import io.helios.core.change.TableId;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** How one table's changes fold into their net effect per row, and when they must not be folded. */
class NetChangesTest {

    private static final Relation R = new Relation(1, new TableId("app", "t"),
            List.of(new Column("id", 23, -1, true), new Column("v", 25, -1, false), new Column("w", 25, -1, false)), 'd');
    private static final TargetTable T = TargetTable.of(R, new TableId("app", "t"));

    private static Change ins(String id, String v, String w) {
        return Change.insert(R, RowImage.of(id, v, w));
    }

    private static Change upd(String id, String v, String w) {
        return Change.update(R, null, RowImage.of(id, v, w));
    }

    private static Change del(String id) {
        return Change.delete(R, RowImage.of(id, null, null));
    }

    @Test
    void insertThenUpdatesBecomeOneInsertOfTheLastValues() {
        NetChanges net = NetChanges.of(T, List.of(ins("1", "a", "big"), upd("1", "b", RowImage.UNCHANGED), upd("1", "c", RowImage.UNCHANGED)));

        NetRow row = net.rows().iterator().next();
        assertThat(row.kind()).isEqualTo(NetRow.Kind.INSERT);
        assertThat(List.of(row.value(0), row.value(1), row.value(2))).containsExactly("1", "c", "big");
    }

    @Test
    void updatesBecomeOneUpdateOfTheColumnsTheyCarried() {
        NetChanges net = NetChanges.of(T, List.of(upd("1", "a", RowImage.UNCHANGED), upd("1", null, RowImage.UNCHANGED)));

        NetRow row = net.rows().iterator().next();
        assertThat(row.kind()).isEqualTo(NetRow.Kind.UPDATE);
        assertThat(row.carried().stream().boxed().toList()).containsExactly(0, 1);
        assertThat(row.value(1)).isNull();
    }

    @Test
    void insertThenDeleteIsNothingAndDeleteThenInsertAReplacement() {
        NetChanges net = NetChanges.of(T, List.of(ins("1", "a", "x"), del("1"), del("2"), ins("2", "b", "y"), upd("3", "c", "z"), del("3")));

        assertThat(net.rows()).extracting(NetRow::kind)
                .containsExactly(NetRow.Kind.NONE, NetRow.Kind.REPLACE, NetRow.Kind.DELETE);
        assertThat(net.rows()).filteredOn(r -> r.kind() == NetRow.Kind.REPLACE).singleElement()
                .satisfies(r -> assertThat(r.value(1)).isEqualTo("b"));
    }

    @Test
    void rowsKeepTheOrderTheGroupFirstTouchedThem() {
        NetChanges net = NetChanges.of(T, List.of(upd("3", "a", "a"), upd("1", "a", "a"), upd("3", "b", "b"), upd("2", "a", "a")));

        assertThat(net.rows()).extracting(r -> r.key()[0]).containsExactly("3", "1", "2");
    }

    @Test
    void aKeyThatMovesOrAnImpossibleSequenceIsLeftInOrder() {
        Change move = Change.update(R, RowImage.of("1", null, null), RowImage.of("2", "a", "a"));
        assertThat(NetChanges.of(T, List.of(move))).isNull();
        assertThat(NetChanges.of(T, List.of(upd("1", "a", "a"), ins("1", "b", "b")))).isNull();
        assertThat(NetChanges.of(T, List.of(del("1"), upd("1", "b", "b")))).isNull();
        assertThat(NetChanges.of(T, List.of(Change.update(R, RowImage.of("1", null, null), RowImage.of("1", "same key", "a")))))
                .as("an old key equal to the new one is no move").isNotNull();
    }

    @Test
    void aTableWithoutKeyIsLeftInOrder() {
        Relation full = new Relation(2, new TableId("app", "bag"), R.columns(), 'f');
        assertThat(NetChanges.of(TargetTable.of(full, full.table()), List.of(Change.insert(full, RowImage.of("1", "a", "b")))))
                .isNull();
    }
}
