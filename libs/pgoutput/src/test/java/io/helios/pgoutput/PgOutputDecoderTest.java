package io.helios.pgoutput;

import io.helios.core.change.Change;
import io.helios.core.change.Column;
import io.helios.core.change.Lsn;
import io.helios.core.change.Relation;
import io.helios.core.change.RowImage;
import io.helios.core.change.TableId;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static io.helios.pgoutput.MessageBuilder.message;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PgOutputDecoderTest {

    private static final int OID = 16_385;
    /** 2024-01-02T03:04:05.123456Z in microseconds since 2000-01-01. */
    private static final long MICROS = 757_479_845_123_456L;
    private static final Instant TIME = Instant.parse("2024-01-02T03:04:05.123456Z");

    private final PgOutputDecoder decoder = new PgOutputDecoder();

    @Test
    void decodesBeginWithUnsignedXidAndMicrosecondTimestamp() {
        PgOutputMessage m = decoder.decode(message('B').i64(0x1_0000_00A0L).i64(MICROS).i32(0xFFFF_FFF0).buffer());

        assertThat(m).isEqualTo(new PgOutputMessage.Begin(0xFFFF_FFF0L, new Lsn(0x1_0000_00A0L), TIME));
    }

    @Test
    void decodesCommitPositions() {
        PgOutputMessage m = decoder.decode(message('C').i8(0).i64(100).i64(148).i64(MICROS).buffer());

        assertThat(m).isEqualTo(new PgOutputMessage.Commit(new Lsn(100), new Lsn(148), TIME));
    }

    @Test
    void decodesTimestampsBeforeThePostgresEpoch() {
        assertThat(PgOutputDecoder.pgTimestamp(-1)).isEqualTo(Instant.parse("1999-12-31T23:59:59.999999Z"));
    }

    @Test
    void decodesRelationIntoCache() {
        Relation r = relation("app", "orders");

        assertThat(r.table()).isEqualTo(new TableId("app", "orders"));
        assertThat(r.replicaIdentity()).isEqualTo('d');
        assertThat(r.columns()).containsExactly(new Column("id", 20, -1, true),
                new Column("note", 25, -1, false), new Column("doc", 3802, -1, false));
        assertThat(decoder.relation(OID)).isSameAs(r);
    }

    @Test
    void insertCarriesTextNullAndUnicode() {
        Relation r = relation("app", "orders");

        Change c = row(message('I').i32(OID).i8('N').i16(3).text("42").nullValue().text("{\"k\": \"żółw 🐢\"}"));

        assertThat(c.op()).isEqualTo(Change.Op.INSERT);
        assertThat(c.relation()).isSameAs(r);
        assertThat(c.before()).isNull();
        assertThat(c.after()).isEqualTo(RowImage.of("42", null, "{\"k\": \"żółw 🐢\"}"));
    }

    @Test
    void decodesFromASliceOfALargerArray() {
        relation("app", "orders");

        PgOutputMessage m = decoder.decode(message('I').i32(OID).i8('N').i16(3)
                .text("1").text("é").nullValue().sliced());

        assertThat(((PgOutputMessage.RowChange) m).change().after()).isEqualTo(RowImage.of("1", "é", null));
    }

    @Test
    void updateMarksUnchangedToast() {
        relation("app", "orders");

        Change c = row(message('U').i32(OID).i8('N').i16(3).text("7").text("new").unchangedToast());

        assertThat(c.op()).isEqualTo(Change.Op.UPDATE);
        assertThat(c.before()).isNull();
        assertThat(c.after().get(1)).isEqualTo("new");
        assertThat(c.after().isUnchanged(2)).isTrue();
    }

    @Test
    void updateWithKeyChangeCarriesOldKey() {
        relation("app", "orders");

        Change c = row(message('U').i32(OID)
                .i8('K').i16(3).text("7").nullValue().nullValue()
                .i8('N').i16(3).text("8").text("n").nullValue());

        assertThat(c.before()).isEqualTo(RowImage.of("7", null, null));
        assertThat(c.after()).isEqualTo(RowImage.of("8", "n", null));
    }

    @Test
    void keyOnlyTupleWithOnlyKeyColumnsIsAlignedToRelation() {
        relation("app", "orders");

        Change c = row(message('D').i32(OID).i8('K').i16(1).text("9"));

        assertThat(c.op()).isEqualTo(Change.Op.DELETE);
        assertThat(c.before()).isEqualTo(RowImage.of("9", null, null));
        assertThat(c.after()).isNull();
    }

    @Test
    void updateUnderReplicaIdentityFullCarriesOldRow() {
        relation("app", "orders");

        Change c = row(message('U').i32(OID)
                .i8('O').i16(3).text("1").text("a").nullValue()
                .i8('N').i16(3).text("1").text("b").nullValue());

        assertThat(c.before()).isEqualTo(RowImage.of("1", "a", null));
        assertThat(c.after()).isEqualTo(RowImage.of("1", "b", null));
    }

    @Test
    void truncateListsItsRelations() {
        Relation a = relation("app", "a");
        Relation b = relation(OID + 1, "app", "b");

        Change c = row(message('T').i32(2).i8(1).i32(OID).i32(OID + 1));

        assertThat(c.op()).isEqualTo(Change.Op.TRUNCATE);
        assertThat(c.truncated()).containsExactly(a, b);
    }

    @Test
    void newRelationMessageReplacesCachedShape() {
        Relation before = relation("app", "orders");
        Change first = row(message('I').i32(OID).i8('N').i16(3).text("1").nullValue().nullValue());

        Relation after = decode(message('R').i32(OID).cstring("app").cstring("orders").i8('f').i16(2)
                .i8(1).cstring("id").i32(20).i32(-1)
                .i8(0).cstring("amount").i32(1700).i32(655366));
        Change second = row(message('I').i32(OID).i8('N').i16(2).text("2").text("12.50"));

        assertThat(first.relation()).isSameAs(before);
        assertThat(second.relation()).isSameAs(after);
        assertThat(after.columns().get(1)).isEqualTo(new Column("amount", 1700, 655366, false));
        assertThat(after.replicaIdentity()).isEqualTo('f');
    }

    @Test
    void emptyNamespaceMeansPgCatalog() {
        assertThat(relation("", "pg_thing").table().schema()).isEqualTo("pg_catalog");
    }

    @Test
    void decodesTypeOriginAndIgnoresMessages() {
        assertThat(decoder.decode(message('Y').i32(99_000).cstring("app").cstring("mood").buffer()))
                .isEqualTo(new PgOutputMessage.Type(99_000, "app", "mood"));
        assertThat(decoder.decode(message('O').i64(77).cstring("pg_1").buffer()))
                .isEqualTo(new PgOutputMessage.Origin(new Lsn(77), "pg_1"));
        assertThat(decoder.decode(message('M').i8(1).i64(5).cstring("p").i32(1).i8('x').buffer()))
                .isEqualTo(new PgOutputMessage.Ignored('M'));
    }

    @Test
    void rowOfUndescribedRelationFails() {
        assertThatThrownBy(() -> decode(message('I').i32(4242).i8('N').i16(0)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("4242");
    }

    @Test
    void tupleWiderThanRelationFails() {
        relation("app", "orders");

        assertThatThrownBy(() -> decode(message('I').i32(OID).i8('N').i16(4)
                .text("1").text("2").text("3").text("4")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("4 columns");
    }

    @Test
    void unknownMessageTypeFails() {
        assertThatThrownBy(() -> decode(message('S').i32(1)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("protocol version 1");
    }

    private Relation relation(String schema, String table) {
        return relation(OID, schema, table);
    }

    private Relation relation(int oid, String schema, String table) {
        PgOutputMessage m = decoder.decode(message('R').i32(oid).cstring(schema).cstring(table).i8('d').i16(3)
                .i8(1).cstring("id").i32(20).i32(-1)
                .i8(0).cstring("note").i32(25).i32(-1)
                .i8(0).cstring("doc").i32(3802).i32(-1)
                .buffer());
        return ((PgOutputMessage.RelationMessage) m).relation();
    }

    private Relation decode(MessageBuilder b) {
        PgOutputMessage m = decoder.decode(b.buffer());
        return m instanceof PgOutputMessage.RelationMessage r ? r.relation() : null;
    }

    private Change row(MessageBuilder b) {
        PgOutputMessage m = decoder.decode(b.buffer());
        assertThat(m).isInstanceOf(PgOutputMessage.RowChange.class);
        return ((PgOutputMessage.RowChange) m).change();
    }
}
