package io.helios.debezium;


import io.helios.core.capture.CaptureException;
import io.helios.core.change.Change;
import io.helios.core.change.Lsn;
import io.helios.core.change.RowImage;
import io.helios.core.change.SourceTransaction;
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

class DebeziumCaptureEngineIT {

    private static final DebeziumFixture db = new DebeziumFixture("debezium_engine_it");

    private final List<DebeziumCaptureEngine> engines = new ArrayList<>();

    @AfterEach
    void closeEngines() {
        engines.forEach(DebeziumCaptureEngine::close);
    }

    @Test
    void deliversWholeTransactionsInCommitOrderWhenTheyInterleave() throws Exception {
        DebeziumCaptureEngine engine = started("interleave", "CREATE TABLE t (id int PRIMARY KEY, v text)",
                "CREATE TABLE u (id int PRIMARY KEY)");
        try (Connection a = db.connect(); Connection b = db.connect();
             Statement sa = a.createStatement(); Statement sb = b.createStatement()) {
            a.setAutoCommit(false);
            b.setAutoCommit(false);
            sa.execute("INSERT INTO interleave.t VALUES (1, 'a1')");
            sb.execute("INSERT INTO interleave.t VALUES (2, 'b1')");
            sa.execute("INSERT INTO interleave.u VALUES (10)");
            sb.execute("INSERT INTO interleave.t VALUES (4, 'b2')");
            sa.execute("UPDATE interleave.t SET v = 'a2' WHERE id = 1");
            b.commit();
            a.commit();
        }

        List<SourceTransaction> txs = DebeziumFixture.take(engine, 2);

        assertThat(txs.get(0).changes()).extracting(c -> c.after().get(1)).containsExactly("b1", "b2");
        assertThat(txs.get(1).changes()).extracting(Change::op)
                .containsExactly(Change.Op.INSERT, Change.Op.INSERT, Change.Op.UPDATE);
        assertThat(txs.get(1).changes()).extracting(c -> c.relation().table().table()).containsExactly("t", "u", "t");
        assertThat(txs.get(1).endLsn().isAfter(txs.get(0).endLsn())).isTrue();
        assertThat(txs.get(0).xid()).isNotEqualTo(txs.get(1).xid());
        assertThat(txs.get(0).commitTime()).isNotNull();
    }

    @Test
    void endLsnIsTheEndOfTheCommitRecord() throws Exception {
        DebeziumCaptureEngine engine = started("endlsn", "CREATE TABLE t (id int PRIMARY KEY)");
        db.sql("INSERT INTO endlsn.t VALUES (1)");
        Lsn after = db.currentLsn();

        SourceTransaction tx = DebeziumFixture.take(engine, 1).get(0);

        // the same position pg_logical_slot_peek_changes reports for the commit, i.e. what pgoutput's end_lsn carries
        String commit = db.text("SELECT max(lsn) FROM pg_logical_slot_peek_binary_changes('endlsn_peek', NULL, NULL, "
                + "'proto_version', '1', 'publication_names', 'endlsn')");
        assertThat(tx.endLsn()).isEqualTo(Lsn.parse(commit));
        assertThat(tx.endLsn().isAtOrBefore(after)).isTrue();
        db.sql("SELECT pg_drop_replication_slot('endlsn_peek')");
    }

    @Test
    void capturesInsertUpdateKeyChangeDeleteAndTruncate() throws Exception {
        DebeziumCaptureEngine engine = started("ops", "CREATE TABLE t (id int PRIMARY KEY, v text)");
        db.sql("INSERT INTO ops.t VALUES (1, 'one')",
                "UPDATE ops.t SET v = 'uno' WHERE id = 1",
                "UPDATE ops.t SET id = 2 WHERE id = 1",
                "DELETE FROM ops.t WHERE id = 2",
                "INSERT INTO ops.t VALUES (3, NULL)",
                "TRUNCATE ops.t");

        List<Change> changes = DebeziumFixture.take(engine, 6).stream().map(tx -> tx.changes().get(0)).toList();

        assertThat(changes).extracting(Change::op).containsExactly(Change.Op.INSERT, Change.Op.UPDATE,
                Change.Op.UPDATE, Change.Op.DELETE, Change.Op.INSERT, Change.Op.TRUNCATE);
        assertThat(changes.get(1).before()).isNull();
        assertThat(changes.get(1).after()).isEqualTo(RowImage.of("1", "uno"));
        assertThat(changes.get(2).before()).isEqualTo(RowImage.of("1", null));
        assertThat(changes.get(2).after()).isEqualTo(RowImage.of("2", "uno"));
        assertThat(changes.get(3).before()).isEqualTo(RowImage.of("2", null));
        assertThat(changes.get(4).after()).isEqualTo(RowImage.of("3", null));
        assertThat(changes.get(5).truncated()).extracting(r -> r.table().table()).containsExactly("t");
        assertThat(changes.get(0).relation().keyColumns()).extracting("name").containsExactly("id");
        assertThat(changes.get(0).relation().oid()).isEqualTo(Integer.parseInt(db.text("SELECT 'ops.t'::regclass::oid")));
        assertThat(changes.get(0).relation().columns()).extracting("typeOid").containsExactly(23, 25);
    }

    @Test
    void unchangedToastValueArrivesAsUnchanged() throws Exception {
        DebeziumCaptureEngine engine = started("toast", "CREATE TABLE t (id int PRIMARY KEY, big text, n int, "
                + "tags text[])", "ALTER TABLE t ALTER COLUMN big SET STORAGE EXTERNAL",
                "ALTER TABLE t ALTER COLUMN tags SET STORAGE EXTERNAL");
        db.sql("INSERT INTO toast.t SELECT 1, string_agg(md5(g::text), ''), 1, array_agg(md5(g::text)) "
                + "FROM generate_series(1, 400) g", "UPDATE toast.t SET n = 5 WHERE id = 1");

        List<SourceTransaction> txs = DebeziumFixture.take(engine, 2);

        assertThat(txs.get(0).changes().get(0).after().get(1)).hasSize(400 * 32);
        assertThat(txs.get(0).changes().get(0).after().get(3)).isEqualTo(db.text("SELECT tags::text FROM toast.t"));
        RowImage after = txs.get(1).changes().get(0).after();
        assertThat(after.isUnchanged(1)).isTrue();
        assertThat(after.isUnchanged(3)).isTrue();
        assertThat(after.get(2)).isEqualTo("5");
    }

    @Test
    void restartFromAppliedLsnNeitherRepeatsNorLoses() throws Exception {
        DebeziumCaptureEngine first = started("restart", "CREATE TABLE t (id int PRIMARY KEY)");
        for (int i = 1; i <= 10; i++) {
            db.sql("INSERT INTO restart.t VALUES (" + i + ")");
        }
        List<SourceTransaction> consumed = DebeziumFixture.take(first, 4);
        first.confirm(consumed.get(1).endLsn()); // the slot itself only learns of the first two
        await().atMost(DebeziumFixture.WAIT).until(() -> db.confirmedFlush("restart").equals(consumed.get(1).endLsn()));
        first.close();

        DebeziumCaptureEngine second = engine("restart");
        second.start(consumed.get(3).endLsn());
        db.sql("INSERT INTO restart.t VALUES (11)");
        List<SourceTransaction> rest = DebeziumFixture.take(second, 7);

        assertThat(rest).extracting(tx -> tx.changes().get(0).after().get(0))
                .containsExactly("5", "6", "7", "8", "9", "10", "11");
        assertThat(rest).allMatch(tx -> tx.endLsn().isAfter(consumed.get(3).endLsn()));
        assertThat(second.poll(Duration.ofMillis(300))).isNull();
        await().atMost(DebeziumFixture.WAIT).until(second::caughtUp);
    }

    @Test
    void idleEngineKeepsTheSlotAtWhatWasConfirmed() throws Exception {
        DebeziumCaptureEngine engine = started("idle", "CREATE TABLE t (id int PRIMARY KEY)");
        db.sql("INSERT INTO idle.t VALUES (1)");
        SourceTransaction tx = DebeziumFixture.take(engine, 1).get(0);
        engine.confirm(tx.endLsn());
        await().atMost(DebeziumFixture.WAIT).until(() -> db.confirmedFlush("idle").compareTo(tx.endLsn()) >= 0);
        DebeziumFixture other = new DebeziumFixture("debezium_engine_it_other");
        other.sql("CREATE TABLE noise (id int)", "INSERT INTO noise SELECT generate_series(1, 1000)");

        // lsn.flush.mode=connector: only confirmed offsets reach the slot, none of the server's keepalive positions
        await().during(Duration.ofSeconds(3)).atMost(DebeziumFixture.WAIT)
                .until(() -> db.confirmedFlush("idle").equals(tx.endLsn()));
        await().atMost(DebeziumFixture.WAIT).until(() -> engine.serverWalEnd().isAfter(tx.endLsn()));
    }

    @Test
    void missingSlotFailsWithoutCreatingIt() throws Exception {
        db.sql("CREATE SCHEMA noslot", "CREATE PUBLICATION noslot FOR TABLES IN SCHEMA noslot");
        DebeziumCaptureEngine engine = engine("noslot");

        assertThatThrownBy(() -> engine.start(Lsn.ZERO)).isInstanceOf(CaptureException.class)
                .matches(e -> !((CaptureException) e).retriable()).hasMessageContaining("does not exist");
        assertThat(db.text("SELECT count(*) FROM pg_replication_slots WHERE slot_name = 'noslot'")).isEqualTo("0");
    }

    private DebeziumCaptureEngine started(String name, String... ddl) throws Exception {
        db.tenant(name, ddl);
        if (name.equals("endlsn")) {
            db.sql("SELECT pg_create_logical_replication_slot('endlsn_peek', 'pgoutput')");
        }
        DebeziumCaptureEngine engine = engine(name);
        engine.start(Lsn.ZERO);
        return engine;
    }

    private DebeziumCaptureEngine engine(String name) {
        DebeziumCaptureEngine engine = new DebeziumCaptureEngine(db.endpoint, name, name, 16);
        engines.add(engine);
        return engine;
    }
}
