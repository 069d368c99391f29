package io.helios.pgoutput;

import io.helios.core.apply.ConflictStrategy;
import io.helios.core.capture.CaptureLimits;
import io.helios.core.change.Lsn;
import io.helios.core.change.SourceTransaction;
import io.helios.core.tenant.TableFilter;
import io.helios.core.tenant.TenancyModel;
import io.helios.core.tenant.TenantScope;
import io.helios.postgres.PgEndpoint;
import io.helios.postgres.apply.ConflictException;
import io.helios.postgres.apply.TransactionApplier;
import io.helios.postgres.checkpoint.Checkpoints;
import io.helios.postgres.slot.Publications;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A source transaction three times {@code max-transaction-bytes} (256 KB here) spills to disk,
 * holds no more than a handle in memory, and is applied whole in one target transaction: all of it
 * or, when the target refuses one of its rows, none of it.
 */
class SpilledTransactionIT {

    private static final long LIMIT = 256 << 10;
    private static final CaptureFixture src = new CaptureFixture("spill_src");
    private static final String TGT = "spill_tgt";

    @TempDir
    Path spillRoot;

    @Test
    void aTransactionThreeTimesTheMemoryBoundReplicatesWholeAndAtomically() throws Exception {
        PgEndpoint target = tenant("big", "CREATE TABLE t (id int PRIMARY KEY, v text, n int)");
        try (PgOutputCaptureEngine engine = new PgOutputCaptureEngine(src.endpoint, "big", "big",
                new CaptureLimits(16, 1 << 20, LIMIT, spillRoot));
             TransactionApplier applier = new TransactionApplier(target, src.endpoint, scope("big"), "spill-big", 1,
                     ConflictStrategy.ERROR)) {
            engine.start(Lsn.ZERO);
            src.sql("INSERT INTO big.t VALUES (0, 'before', 0)");
            try (Connection c = src.connect(); Statement s = c.createStatement()) {
                c.setAutoCommit(false);
                s.execute("INSERT INTO big.t SELECT g, repeat('x', 1000), 0 FROM generate_series(1, 1000) g");
                s.execute("UPDATE big.t SET n = 1 WHERE id % 10 = 0 AND id > 0");
                s.execute("DELETE FROM big.t WHERE id % 50 = 0 AND id > 0");
                c.commit();
            }
            src.sql("INSERT INTO big.t VALUES (100000, 'after', 0)");

            List<SourceTransaction> txs = CaptureFixture.take(engine, 3);
            SourceTransaction big = txs.get(1);

            assertThat(engine.spilledTransactions()).isEqualTo(1);
            assertThat(big.isSpilled()).isTrue();
            assertThat(big.spilled().fileBytes()).isGreaterThan(3 * LIMIT);
            assertThat(big.estimatedBytes()).as("held in memory").isLessThan(1024);
            assertThat(big.rowCount()).isEqualTo(1000 + 100 + 20);
            assertThat(txs.get(0).isSpilled()).isFalse();
            assertThat(txs.get(2).isSpilled()).isFalse();
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(big.spilled().path())))
                    .isEqualTo("rw-------");

            applier.apply(List.of(txs.get(0)));
            // a row only the target has: the spilled transaction's insert of it fails, and none of it stays
            onTarget(target, "SET session_replication_role = replica; INSERT INTO big.t VALUES (999, 'target only', 0)");
            assertThatThrownBy(() -> applier.apply(List.of(big))).isInstanceOfAny(SQLException.class, ConflictException.class);
            assertThat(count(target)).as("nothing of the failed transaction").isEqualTo(2);

            onTarget(target, "DELETE FROM big.t WHERE id = 999");
            applier.apply(List.of(big));
            assertThat(count(target)).isEqualTo(1 + 1000 - 20);
            engine.confirm(big.endLsn());
            assertThat(big.spilled().path()).as("deleted once the target holds it").doesNotExist();

            applier.apply(List.of(txs.get(2)));
        }
        String sum = "SELECT count(*) || ':' || md5(string_agg(x::text, ',' ORDER BY x::text)) FROM big.t x";
        assertThat(text(TGT, sum)).isEqualTo(text(src.database, sum));
    }

    private PgEndpoint tenant(String schema, String... ddl) throws SQLException {
        src.cluster.createDatabase(TGT);
        PgEndpoint target = new PgEndpoint(src.cluster.jdbcUrl(TGT), src.cluster.user(), src.cluster.password());
        src.sql("CREATE SCHEMA " + schema);
        try (Connection c = target.open()) {
            c.setAutoCommit(true);
            try (Statement s = c.createStatement()) {
                s.execute("CREATE SCHEMA " + schema);
                for (String sql : ddl) {
                    s.execute("SET search_path = " + schema + "; " + sql);
                }
            }
            Checkpoints.installSchema(c);
            Checkpoints.insert(c, "spill-" + schema, 1, Lsn.parse("0/1"));
        }
        for (String sql : ddl) {
            src.sql("SET search_path = " + schema, sql);
        }
        try (Connection c = src.connect()) {
            Publications.ensure(c, schema, scope(schema), List.of());
        }
        src.createSlot(schema);
        return target;
    }

    private static TenantScope scope(String schema) {
        return new TenantScope("t-" + schema, TenancyModel.SCHEMA, schema, schema, null, TableFilter.ALL);
    }

    private static void onTarget(PgEndpoint target, String sql) throws SQLException {
        try (Connection c = target.open()) {
            c.setAutoCommit(true);
            try (Statement s = c.createStatement()) {
                s.execute(sql);
            }
        }
    }

    private static long count(PgEndpoint target) throws SQLException {
        return Long.parseLong(text(TGT, "SELECT count(*) FROM big.t"));
    }

    private static String text(String database, String sql) throws SQLException {
        try (Connection c = src.cluster.connect(database); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        }
    }
}
