package io.helios.pgoutput;

import io.helios.core.capture.CaptureLimits;
import io.helios.core.change.Change;
import io.helios.core.change.Lsn;
import io.helios.core.change.RowImage;
import io.helios.core.change.SourceTransaction;
import io.helios.core.tenant.TenancyModel;
import io.helios.core.tenant.TenantScope;
import io.helios.postgres.slot.Publications;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class PgOutputCaptureEngineIT {

    private static final CaptureFixture db = new CaptureFixture("pgoutput_engine_it");

    private final List<PgOutputCaptureEngine> engines = new ArrayList<>();

    @AfterEach
    void closeEngines() {
        engines.forEach(PgOutputCaptureEngine::close);
    }

    @Test
    void deliversWholeTransactionsInCommitOrderWhenTheyInterleave() throws Exception {
        PgOutputCaptureEngine engine = tenant("interleave", "CREATE TABLE t (id int PRIMARY KEY, v text)");
        try (Connection a = db.connect(); Connection b = db.connect();
             Statement sa = a.createStatement(); Statement sb = b.createStatement()) {
            a.setAutoCommit(false);
            b.setAutoCommit(false);
            sa.execute("INSERT INTO interleave.t VALUES (1, 'a1')");
            sb.execute("INSERT INTO interleave.t VALUES (2, 'b1')");
            sa.execute("INSERT INTO interleave.t VALUES (3, 'a2')");
            sb.execute("INSERT INTO interleave.t VALUES (4, 'b2')");
            b.commit();
            a.commit();
        }

        List<SourceTransaction> txs = CaptureFixture.take(engine, 2);

        assertThat(values(txs.get(0), 1)).containsExactly("b1", "b2");
        assertThat(values(txs.get(1), 1)).containsExactly("a1", "a2");
        assertThat(txs.get(1).endLsn().isAfter(txs.get(0).endLsn())).isTrue();
        assertThat(txs.get(0).endLsn().isAfter(txs.get(0).commitLsn())).isTrue();
        assertThat(txs.get(0).commitTime()).isNotNull();
    }

    @Test
    void capturesInsertUpdateKeyChangeDeleteAndTruncate() throws Exception {
        PgOutputCaptureEngine engine = tenant("ops", "CREATE TABLE t (id int PRIMARY KEY, v text)");
        db.sql("INSERT INTO ops.t VALUES (1, 'one')",
                "UPDATE ops.t SET v = 'uno' WHERE id = 1",
                "UPDATE ops.t SET id = 2 WHERE id = 1",
                "DELETE FROM ops.t WHERE id = 2",
                "INSERT INTO ops.t VALUES (3, 'three')",
                "TRUNCATE ops.t");

        List<Change> changes = CaptureFixture.take(engine, 6).stream().map(tx -> tx.changes().get(0)).toList();

        assertThat(changes).extracting(Change::op).containsExactly(Change.Op.INSERT, Change.Op.UPDATE,
                Change.Op.UPDATE, Change.Op.DELETE, Change.Op.INSERT, Change.Op.TRUNCATE);
        assertThat(changes.get(1).before()).isNull();
        assertThat(changes.get(1).after()).isEqualTo(RowImage.of("1", "uno"));
        assertThat(changes.get(2).before()).isEqualTo(RowImage.of("1", null));
        assertThat(changes.get(2).after()).isEqualTo(RowImage.of("2", "uno"));
        assertThat(changes.get(3).before()).isEqualTo(RowImage.of("2", null));
        assertThat(changes.get(5).truncated()).extracting(r -> r.table().table()).containsExactly("t");
        assertThat(changes.get(0).relation().keyColumns()).extracting("name").containsExactly("id");
    }

    @Test
    void unchangedToastValueArrivesAsUnchanged() throws Exception {
        PgOutputCaptureEngine engine = tenant("toast", "CREATE TABLE t (id int PRIMARY KEY, big text, n int)",
                "ALTER TABLE t ALTER COLUMN big SET STORAGE EXTERNAL");
        db.sql("INSERT INTO toast.t SELECT 1, string_agg(md5(g::text), '') FROM generate_series(1, 400) g",
                "UPDATE toast.t SET n = 5 WHERE id = 1");

        List<SourceTransaction> txs = CaptureFixture.take(engine, 2);

        assertThat(txs.get(0).changes().get(0).after().get(1)).hasSize(400 * 32);
        RowImage after = txs.get(1).changes().get(0).after();
        assertThat(after.isUnchanged(1)).isTrue();
        assertThat(after.get(2)).isEqualTo("5");
    }

    @Test
    void valuesArriveAsTheirExactTextOutput() throws Exception {
        PgOutputCaptureEngine engine = tenant("types", "CREATE TABLE t (id int PRIMARY KEY, nothing text, "
                + "j jsonb, n numeric(20,6), ts timestamptz, a int[], s text[], u text)");
        db.sql("INSERT INTO types.t VALUES (1, NULL, '{\"b\": [1, 2.50], \"a\": \"x\\\"y\"}', 12345.678900, "
                + "'2024-02-29 23:59:59.123456+05:30', '{1,NULL,3}', '{\"a b\",\"c,d\",\"\"}', 'żółw 🐢 \t\n')");

        RowImage row = CaptureFixture.take(engine, 1).get(0).changes().get(0).after();

        String expected = "SELECT %s::text FROM types.t WHERE id = 1";
        assertThat(row.get(1)).isNull();
        assertThat(row.get(2)).isEqualTo(db.text(expected.formatted("j")));
        assertThat(row.get(3)).isEqualTo("12345.678900");
        assertThat(row.get(4)).isEqualTo(db.text(expected.formatted("ts")));
        assertThat(row.get(5)).isEqualTo("{1,NULL,3}");
        assertThat(row.get(6)).isEqualTo(db.text(expected.formatted("s")));
        assertThat(row.get(7)).isEqualTo("żółw 🐢 \t\n");
    }

    @Test
    void restartFromAppliedLsnNeitherRepeatsNorLoses() throws Exception {
        PgOutputCaptureEngine first = tenant("restart", "CREATE TABLE t (id int PRIMARY KEY)");
        for (int i = 1; i <= 10; i++) {
            db.sql("INSERT INTO restart.t VALUES (" + i + ")");
        }
        List<SourceTransaction> consumed = CaptureFixture.take(first, 4);
        first.confirm(consumed.get(1).endLsn()); // the slot itself only knows of the first two
        first.close();

        PgOutputCaptureEngine second = engine("restart");
        second.start(consumed.get(3).endLsn());
        db.sql("INSERT INTO restart.t VALUES (11)");
        List<SourceTransaction> rest = CaptureFixture.take(second, 7);

        assertThat(rest).extracting(tx -> tx.changes().get(0).after().get(0))
                .containsExactly("5", "6", "7", "8", "9", "10", "11");
        assertThat(rest).allMatch(tx -> tx.endLsn().isAfter(consumed.get(3).endLsn()));
        assertThat(second.poll(Duration.ofMillis(300))).isNull();
        assertThat(second.caughtUp()).isTrue();
    }

    @Test
    void idleEngineOffersWalWrittenElsewhereAndConfirmsItOnlyWhenTold() throws Exception {
        PgOutputCaptureEngine engine = tenant("idle", "CREATE TABLE t (id int PRIMARY KEY)");
        db.sql("INSERT INTO idle.t VALUES (1)");
        SourceTransaction tx = CaptureFixture.take(engine, 1).get(0);
        engine.confirm(tx.endLsn());
        CaptureFixture other = new CaptureFixture("pgoutput_engine_it_other");
        other.sql("CREATE TABLE noise (id int)", "INSERT INTO noise SELECT generate_series(1, 1000)");
        Lsn written = other.currentLsn();

        await().atMost(CaptureFixture.WAIT).until(() -> engine.idleUpTo() != null
                && engine.idleUpTo().compareTo(written) >= 0);
        // offered, not confirmed: the consumer records it on the target first
        assertThat(db.confirmedFlush("idle").compareTo(written)).isNegative();
        engine.confirm(engine.idleUpTo());
        await().atMost(CaptureFixture.WAIT).until(() -> db.confirmedFlush("idle").compareTo(written) >= 0);
        assertThat(engine.serverWalEnd().isAfter(tx.endLsn())).isTrue();
    }

    private PgOutputCaptureEngine tenant(String schema, String... ddl) throws Exception {
        return tenant(schema, CaptureLimits.transactions(16), ddl);
    }

    private PgOutputCaptureEngine tenant(String schema, CaptureLimits limits, String... ddl) throws Exception {
        List<String> statements = new ArrayList<>();
        statements.add("CREATE SCHEMA " + schema);
        statements.add("SET search_path = " + schema);
        statements.addAll(List.of(ddl));
        db.sql(statements.toArray(String[]::new));
        try (Connection c = db.connect()) {
            Publications.ensure(c, schema, new TenantScope("t-" + schema, TenancyModel.SCHEMA, schema,
                    null, null, null), List.of());
        }
        db.createSlot(schema);
        PgOutputCaptureEngine engine = new PgOutputCaptureEngine(db.endpoint, schema, schema, limits);
        engines.add(engine);
        engine.start(Lsn.ZERO);
        return engine;
    }

    private PgOutputCaptureEngine engine(String name) {
        PgOutputCaptureEngine engine = new PgOutputCaptureEngine(db.endpoint, name, name, 16);
        engines.add(engine);
        return engine;
    }

    private static List<String> values(SourceTransaction tx, int column) {
        return tx.changes().stream().map(c -> c.after().get(column)).toList();
    }
}
