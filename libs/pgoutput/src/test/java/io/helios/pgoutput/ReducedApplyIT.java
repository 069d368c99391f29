package io.helios.pgoutput;

import io.helios.core.apply.ConflictStrategy;
import io.helios.core.change.Lsn;
import io.helios.core.change.SourceTransaction;
import io.helios.core.tenant.TableFilter;
import io.helios.core.tenant.TenancyModel;
import io.helios.core.tenant.TenantScope;
import io.helios.postgres.PgEndpoint;
import io.helios.postgres.apply.ApplyResult;
import io.helios.postgres.apply.ConflictException;
import io.helios.postgres.apply.TransactionApplier;
import io.helios.postgres.slot.Publications;
import io.helios.postgres.checkpoint.Checkpoints;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.HashMap;
import io.helios.core.change.Relation;
import io.helios.core.change.Change;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Groups captured from a real source are applied to a real target as one target transaction,
 * reduced to their net effect per row where that is safe and in source order where it is not;
 * either way the target ends equal to the source, checked by a checksum of every table.
 */
class ReducedApplyIT {

    private static final CaptureFixture src = new CaptureFixture("reduced_src");
    private static final String TGT = "reduced_tgt";
    private static PgEndpoint target;

    private final List<PgOutputCaptureEngine> engines = new ArrayList<>();
    private int committed;

    @BeforeAll
    static void targetDatabase() throws SQLException {
        src.cluster.createDatabase(TGT);
        target = new PgEndpoint(src.cluster.jdbcUrl(TGT), src.cluster.user(), src.cluster.password());
    }

    @AfterEach
    void closeEngines() {
        engines.forEach(PgOutputCaptureEngine::close);
    }

    @Test
    void oltpGroupReducesToOneWritePerRowAndEndsEqual() throws Exception {
        PgOutputCaptureEngine engine = tenant("oltp",
                "CREATE TABLE branches (bid int PRIMARY KEY, bbalance bigint NOT NULL, note text)",
                "CREATE TABLE accounts (aid int PRIMARY KEY, abalance bigint NOT NULL, filler text)",
                "ALTER TABLE accounts ALTER COLUMN filler SET STORAGE EXTERNAL",
                "CREATE TABLE history (id bigint PRIMARY KEY, aid int, bid int, delta int, at timestamptz DEFAULT now())");
        tx("INSERT INTO oltp.branches SELECT g, 0, NULL FROM generate_series(1, 5) g",
                "INSERT INTO oltp.accounts SELECT g, 0, CASE WHEN g % 10 = 0 THEN string_agg(md5(g::text || h::text), '')"
                        + " END FROM generate_series(1, 200) g, generate_series(1, 100) h GROUP BY g");
        Random random = new Random(42);
        long historyId = 0;
        List<Long> history = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            int aid = 1 + random.nextInt(200);
            int bid = 1 + random.nextInt(5);
            int delta = random.nextInt(1000) - 500;
            switch (i % 10) {
                case 3 -> tx("UPDATE oltp.accounts SET abalance = abalance + 1 WHERE aid BETWEEN " + aid + " AND " + (aid + 9));
                case 5 -> tx("DELETE FROM oltp.history WHERE id = " + history.remove(random.nextInt(history.size())));
                case 7 -> tx("INSERT INTO oltp.history VALUES (100000 + " + i + ", 1, 1, 1)",
                        "UPDATE oltp.history SET delta = 2 WHERE id = 100000 + " + i,
                        "DELETE FROM oltp.history WHERE id = 100000 + " + i);
                case 9 -> tx("DELETE FROM oltp.accounts WHERE aid = " + aid,
                        "INSERT INTO oltp.accounts VALUES (" + aid + ", " + delta + ", NULL)");
                default -> {
                    history.add(++historyId);
                    tx("UPDATE oltp.accounts SET abalance = abalance + " + delta + " WHERE aid = " + aid,
                        "UPDATE oltp.branches SET bbalance = bbalance + " + delta + ", note = "
                                + (i % 4 == 0 ? "NULL" : "'n" + i + "'") + " WHERE bid = " + bid,
                            "INSERT INTO oltp.history VALUES (" + historyId + ", " + aid + ", " + bid + ", " + delta + ")");
                }
            }
        }

        ApplyResult result = applyAsOneGroup(engine, "oltp");

        assertThat(result.rowsWritten()).as("writes after reduction").isLessThan(result.rows() / 2);
        assertEqual("oltp.branches", "oltp.accounts", "oltp.history");
    }

    @Test
    void uniqueValueTradedBetweenRowsIsAppliedInSourceOrder() throws Exception {
        PgOutputCaptureEngine engine = tenant("uniq",
                "CREATE TABLE users (id int PRIMARY KEY, email text NOT NULL UNIQUE, n int)");
        tx("INSERT INTO uniq.users VALUES (1, 'a', 0), (2, 'b', 0), (3, 'c', 0)");
        tx("UPDATE uniq.users SET email = 'tmp' WHERE id = 1");
        tx("UPDATE uniq.users SET email = 'a' WHERE id = 2");
        tx("UPDATE uniq.users SET email = 'b', n = 1 WHERE id = 1");
        tx("UPDATE uniq.users SET n = n + 1 WHERE id = 3");

        ApplyResult result = applyAsOneGroup(engine, "uniq");

        assertThat(result.rowsWritten()).as("no reduction on a table with another unique constraint").isEqualTo(result.rows());
        assertEqual("uniq.users");
    }

    @Test
    void uniqueConstraintOnlyTheTargetHasMakesTheGroupFallBackInsteadOfFailing() throws Exception {
        PgOutputCaptureEngine engine = tenant("late", "CREATE TABLE codes (id int PRIMARY KEY, code text)");
        try (TransactionApplier applier = applier("late")) {
            tx("INSERT INTO late.codes VALUES (1, 'x'), (2, 'y')");
            applier.apply(CaptureFixture.take(engine, take()));
            // added on the target after the applier learned the table: only the failed statement can tell
            sqlOnTarget("CREATE UNIQUE INDEX codes_code ON late.codes (code)");
            tx("UPDATE late.codes SET code = 'tmp' WHERE id = 1");
            tx("UPDATE late.codes SET code = 'x' WHERE id = 2");
            tx("UPDATE late.codes SET code = 'y' WHERE id = 1");

            ApplyResult result = applier.apply(CaptureFixture.take(engine, take()));

            assertThat(result.transactions()).isEqualTo(3);
            assertThat(result.rowsWritten()).isEqualTo(3);
        }
        assertEqual("late.codes");
    }

    @Test
    void keysMovingBetweenRowsAndKeylessTablesAreAppliedInSourceOrder() throws Exception {
        PgOutputCaptureEngine engine = tenant("moves", "CREATE TABLE k (id int PRIMARY KEY, v text)",
                "CREATE TABLE bag (a int, b text)", "ALTER TABLE bag REPLICA IDENTITY FULL");
        tx("INSERT INTO moves.k SELECT g, 'v' || g FROM generate_series(1, 5) g",
                "INSERT INTO moves.bag VALUES (1, 'x'), (1, 'x'), (2, 'y')");
        tx("UPDATE moves.k SET id = id + 1 WHERE id = 5");
        tx("UPDATE moves.k SET id = id + 1 WHERE id = 4");
        tx("INSERT INTO moves.k VALUES (4, 'new four')", "UPDATE moves.k SET v = 'changed' WHERE id = 1");
        tx("UPDATE moves.bag SET b = 'z' WHERE ctid = (SELECT ctid FROM moves.bag WHERE a = 1 LIMIT 1)");
        tx("DELETE FROM moves.bag WHERE a = 2");

        applyAsOneGroup(engine, "moves");

        assertEqual("moves.k", "moves.bag");
    }

    @Test
    void aRelationSentAgainInsideTheGroupStillReduces() throws Exception {
        PgOutputCaptureEngine engine = tenant("resent", "CREATE TABLE hot (id int PRIMARY KEY, n bigint NOT NULL)");
        tx("INSERT INTO resent.hot SELECT g, 0 FROM generate_series(1, 5) g");
        for (int i = 0; i < 40; i++) {
            tx("UPDATE resent.hot SET n = n + 1 WHERE id = " + (1 + i % 5));
        }
        List<SourceTransaction> group = CaptureFixture.take(engine, take());
        // the walsender re-sends a relation after a cache invalidation (an ANALYZE, say): the second
        // half of the group carries an equal but new Relation instance, as the decoder then hands out
        List<SourceTransaction> resent = new ArrayList<>();
        Map<Integer, Relation> again = new HashMap<>();
        for (int i = 0; i < group.size(); i++) {
            SourceTransaction tx = group.get(i);
            if (i < group.size() / 2) {
                resent.add(tx);
                continue;
            }
            List<Change> changes = new ArrayList<>();
            for (Change ch : tx.changes()) {
                Relation r = again.computeIfAbsent(ch.relation().oid(), oid -> new Relation(ch.relation().oid(),
                        ch.relation().table(), ch.relation().columns(), ch.relation().replicaIdentity()));
                changes.add(new Change(ch.op(), r, ch.before(), ch.after(), ch.truncated()));
            }
            resent.add(new SourceTransaction(tx.xid(), tx.commitLsn(), tx.endLsn(), tx.commitTime(), changes));
        }

        try (TransactionApplier applier = applier("resent")) {
            ApplyResult result = applier.apply(resent);
            assertThat(result.rowsWritten()).as("one write per row, across the re-sent relation").isEqualTo(5);
        }
        assertEqual("resent.hot");
    }

    @Test
    void truncateInsideTheGroupKeepsSourceOrder() throws Exception {
        PgOutputCaptureEngine engine = tenant("trunc", "CREATE TABLE t (id int PRIMARY KEY, v text)");
        tx("INSERT INTO trunc.t SELECT g, 'a' FROM generate_series(1, 10) g");
        tx("UPDATE trunc.t SET v = 'b' WHERE id < 5");
        tx("TRUNCATE trunc.t");
        tx("INSERT INTO trunc.t VALUES (3, 'after')");

        applyAsOneGroup(engine, "trunc");

        assertEqual("trunc.t");
    }

    @Test
    void divergedTargetFailsWithTheRowThatDiverged() throws Exception {
        PgOutputCaptureEngine engine = tenant("gone", "CREATE TABLE t (id int PRIMARY KEY, v text)");
        try (TransactionApplier applier = applier("gone")) {
            tx("INSERT INTO gone.t SELECT g, 'a' FROM generate_series(1, 3) g");
            applier.apply(CaptureFixture.take(engine, take()));
            sqlOnTarget("SET session_replication_role = replica; DELETE FROM gone.t WHERE id = 2");
            tx("UPDATE gone.t SET v = 'b' WHERE id = 1");
            tx("UPDATE gone.t SET v = 'c' WHERE id = 2");
            List<SourceTransaction> group = CaptureFixture.take(engine, take());

            assertThatThrownBy(() -> applier.apply(group)).isInstanceOf(ConflictException.class)
                    .hasMessageContaining("gone.t").hasMessageContaining("\"id\"=2").hasMessageContaining("diverged");
        }
        assertThat(text(TGT, "SELECT string_agg(id || v, ',' ORDER BY id) FROM gone.t")).as("nothing of the group stayed")
                .isEqualTo("1a,3a");
    }

    private PgOutputCaptureEngine tenant(String schema, String... ddl) throws Exception {
        List<String> statements = new ArrayList<>(List.of("CREATE SCHEMA " + schema, "SET search_path = " + schema));
        statements.addAll(List.of(ddl));
        src.sql(statements.toArray(String[]::new));
        try (Connection c = target.open()) {
            c.setAutoCommit(true);
            try (Statement s = c.createStatement()) {
                for (String sql : statements) {
                    s.execute(sql);
                }
            }
            Checkpoints.installSchema(c);
            Checkpoints.insert(c, "reduced-" + schema, 1, Lsn.parse("0/1"));
        }
        try (Connection c = src.connect()) {
            Publications.ensure(c, schema, scope(schema), List.of());
        }
        src.createSlot(schema);
        PgOutputCaptureEngine engine = new PgOutputCaptureEngine(src.endpoint, schema, schema, 100_000);
        engines.add(engine);
        engine.start(Lsn.ZERO);
        return engine;
    }

    private static TenantScope scope(String schema) {
        return new TenantScope("t-" + schema, TenancyModel.SCHEMA, schema, schema, null, TableFilter.ALL);
    }

    private TransactionApplier applier(String schema) {
        return new TransactionApplier(target, src.endpoint, scope(schema), "reduced-" + schema, 1,
                ConflictStrategy.ERROR);
    }

    private ApplyResult applyAsOneGroup(PgOutputCaptureEngine engine, String schema) throws Exception {
        List<SourceTransaction> group = CaptureFixture.take(engine, take());
        try (TransactionApplier applier = applier(schema)) {
            ApplyResult result = applier.apply(group);
            assertThat(result.transactions()).isEqualTo(group.size());
            return result;
        }
    }

    /** Transactions committed on the source since the last call. */
    private int take() {
        int n = committed;
        committed = 0;
        return n;
    }

    /** One source transaction of the given statements. */
    private void tx(String... statements) throws SQLException {
        try (Connection c = src.connect(); Statement s = c.createStatement()) {
            c.setAutoCommit(false);
            for (String sql : statements) {
                s.execute(sql);
            }
            c.commit();
        }
        committed++;
    }

    private void sqlOnTarget(String sql) throws SQLException {
        try (Connection c = target.open()) {
            c.setAutoCommit(true);
            try (Statement s = c.createStatement()) {
                s.execute(sql);
            }
        }
    }

    private static void assertEqual(String... tables) throws SQLException {
        for (String t : tables) {
            String sum = "SELECT count(*) || ':' || coalesce(md5(string_agg(x::text, ',' ORDER BY x::text)), '') FROM " + t + " x";
            assertThat(text(TGT, sum)).as("checksum of %s on the target", t).isEqualTo(text(src.database, sum));
        }
    }

    private static String text(String database, String sql) throws SQLException {
        try (Connection c = src.cluster.connect(database); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        }
    }
}
