package io.helios.postgres;

import io.helios.core.change.Lsn;
import io.helios.core.change.TableId;
import io.helios.core.tenant.TableFilter;
import io.helios.core.tenant.TenancyModel;
import io.helios.core.tenant.TenantScope;
import io.helios.postgres.checkpoint.Checkpoint;
import io.helios.postgres.checkpoint.Checkpoints;
import io.helios.postgres.copy.CopyCancellation;
import io.helios.postgres.copy.CopyOptions;
import io.helios.postgres.copy.CopyResult;
import io.helios.postgres.copy.InitialCopy;
import io.helios.postgres.fence.Fence;
import io.helios.testsupport.PostgresCluster;
import io.helios.testsupport.TestClusters;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.Map;

import static io.helios.postgres.Sql.exec;
import static io.helios.postgres.Sql.scalar;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The initial copy reads exactly the tenant's rows as of an exported snapshot and writes them,
 * the fence and the checkpoint in one target transaction.
 */
class InitialCopyIT {

    private static final String SRC = "copy_src";
    private static final String ROWS = "SELECT string_agg(x::text, ' ' ORDER BY x::text) FROM (SELECT * FROM %s) x";
    private static PostgresCluster pg;

    @BeforeAll
    static void source() {
        pg = TestClusters.shared();
        pg.createDatabase(SRC);
        exec(pg, SRC, "CREATE TABLE public.orders (tenant_id text NOT NULL, id int, total numeric(30,10), doc jsonb,"
                        + " PRIMARY KEY (tenant_id, id))",
                "CREATE TABLE public.notes (tenant_id text NOT NULL, id int PRIMARY KEY, body text)",
                "INSERT INTO public.orders SELECT t, g, g / 3.0, jsonb_build_object('g', g) FROM generate_series(1, 3000) g,"
                        + " unnest(ARRAY['acme', 'globex']) t",
                "INSERT INTO public.notes VALUES ('acme', 1, E'tab\\tline\\n✓'), ('globex', 2, 'not mine'), ('acme', 3, NULL)",
                "CREATE SCHEMA acme", "CREATE TABLE acme.items (id int PRIMARY KEY, name text NOT NULL, tags text[])",
                "CREATE TABLE acme.audit (line text)", "ALTER TABLE acme.audit REPLICA IDENTITY FULL",
                "INSERT INTO acme.items SELECT g, 'item ' || g, ARRAY['a', NULL] FROM generate_series(1, 500) g",
                "INSERT INTO acme.audit VALUES ('one'), ('one'), (NULL)");
    }

    @Test
    void rowTenantGetsExactlyItsRowsAsOfTheSnapshotWithFenceAndCheckpoint() throws Exception {
        String tgt = "copy_row_tgt";
        pg.createDatabase(tgt);
        exec(pg, tgt, "CREATE TABLE public.orders (tenant_id text NOT NULL, id int, total numeric(30,10), doc jsonb,"
                + " PRIMARY KEY (tenant_id, id))", "INSERT INTO public.orders VALUES ('acme', 99999, 0, NULL), ('initech', 1, 1, NULL)");
        TenantScope acme = new TenantScope("acme", TenancyModel.ROW, "public", null, "tenant_id", TableFilter.ALL);
        Map<TableId, Long> progress = new ConcurrentHashMap<>();
        try (Exported snapshot = Exported.open()) {
            exec(pg, SRC, "INSERT INTO public.orders VALUES ('acme', 5000, 1, NULL)", "DELETE FROM public.notes WHERE id = 3");
            CopyResult result = InitialCopy.run(Sql.endpoint(pg, SRC), snapshot.name, snapshot.lsn, Sql.endpoint(pg, tgt), acme,
                    "rep-row", 3, (table, done, estimated) -> progress.put(table, done));
            assertThat(result).isEqualTo(new CopyResult(2, 3002));
            assertThat(progress).containsEntry(new TableId("public", "orders"), 3000L).containsEntry(new TableId("public", "notes"), 2L);
            assertCheckpoint(tgt, "rep-row", snapshot.lsn, 3);
        }
        assertThat(scalar(pg, tgt, ROWS.formatted("public.orders WHERE tenant_id = 'acme'")))
                .isEqualTo(scalar(pg, SRC, ROWS.formatted("public.orders WHERE tenant_id = 'acme' AND id <> 5000")));
        assertThat(scalar(pg, tgt, "SELECT count(*) FROM public.orders WHERE tenant_id <> 'acme'")).isEqualTo("1");
        assertThat(scalar(pg, tgt, ROWS.formatted("public.notes"))).isEqualTo("(acme,1,\"tab\tline\n✓\") (acme,3,)");
        assertFenced(tgt, "acme", "INSERT INTO public.notes VALUES ('acme', 10, 'app write')");
        exec(pg, tgt, "INSERT INTO public.notes VALUES ('initech', 11, 'other tenants stay writable')");
    }

    @Test
    void schemaTenantCopiesItsTablesIntoTheTargetSchemaAndAResyncIsIdempotent() throws Exception {
        String tgt = "copy_schema_tgt";
        pg.createDatabase(tgt);
        TenantScope acme = new TenantScope("acme", TenancyModel.SCHEMA, "acme", "acme_replica", null, TableFilter.ALL);
        for (int epoch = 1; epoch <= 2; epoch++) {
            try (Exported snapshot = Exported.open()) {
                CopyResult result = InitialCopy.run(Sql.endpoint(pg, SRC), snapshot.name, snapshot.lsn, Sql.endpoint(pg, tgt), acme,
                        "rep-schema", epoch, (table, done, estimated) -> { });
                assertThat(result).isEqualTo(new CopyResult(2, 503));
                assertCheckpoint(tgt, "rep-schema", snapshot.lsn, epoch);
            }
        }
        assertThat(scalar(pg, tgt, ROWS.formatted("acme_replica.items"))).isEqualTo(scalar(pg, SRC, ROWS.formatted("acme.items")));
        assertThat(scalar(pg, tgt, ROWS.formatted("acme_replica.audit"))).isEqualTo("() (one) (one)");
        assertThat(scalar(pg, tgt, "SELECT attnotnull FROM pg_attribute WHERE attrelid = 'acme_replica.items'::regclass"
                + " AND attname = 'name'")).isEqualTo("t");
        assertFenced(tgt, "acme", "DELETE FROM acme_replica.items");
        assertFenced(tgt, "acme", "TRUNCATE acme_replica.audit");
    }

    @Test
    void aParallelCopySplitsLargeTablesIntoRangesAndCopiesEveryRowOnce() throws Exception {
        String tgt = "copy_par_tgt";
        pg.createDatabase(tgt);
        // another tenant's row only: a target holding rows of acme would be copied in one transaction
        exec(pg, tgt, "CREATE TABLE public.orders (tenant_id text NOT NULL, id int, total numeric(30,10), doc jsonb,"
                + " PRIMARY KEY (tenant_id, id))", "INSERT INTO public.orders VALUES ('initech', 1, 1, NULL)");
        TenantScope acme = new TenantScope("acme", TenancyModel.ROW, "public", null, "tenant_id", TableFilter.ALL);
        Map<TableId, Long> progress = new ConcurrentHashMap<>();
        // three sessions whatever the size, every table of 8 kB or more split into block ranges
        CopyOptions parallel = new CopyOptions(3, 0, 8192);
        try (Exported snapshot = Exported.open(); Connection t = pg.connect(tgt)) {
            Fence.installSchema(t);
            Checkpoints.installSchema(t);
            Checkpoints.claim(t, "rep-par", 4);
            exec(pg, SRC, "INSERT INTO public.orders VALUES ('acme', 5001, 1, NULL)", "UPDATE public.orders SET total = -1"
                    + " WHERE tenant_id = 'acme' AND id = 1");
            CopyResult result = InitialCopy.run(Sql.endpoint(pg, SRC), snapshot.name, snapshot.lsn, Sql.endpoint(pg, tgt),
                    acme, "rep-par", 4, (table, done, estimated) -> progress.put(table, done), new CopyCancellation(), parallel);
            assertThat(result.tables()).isEqualTo(2);
            assertThat(result.rows()).isEqualTo(Long.parseLong(scalar(pg, tgt,
                    "SELECT (SELECT count(*) FROM public.orders WHERE tenant_id = 'acme') + (SELECT count(*) FROM public.notes)")));
            assertThat(progress.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(result.rows());
            assertCheckpoint(tgt, "rep-par", snapshot.lsn, 4);
        } finally {
            exec(pg, SRC, "DELETE FROM public.orders WHERE id = 5001", "UPDATE public.orders SET total = 1 / 3.0"
                    + " WHERE tenant_id = 'acme' AND id = 1");
        }
        assertThat(scalar(pg, tgt, ROWS.formatted("public.orders WHERE tenant_id = 'acme'")))
                .isEqualTo(scalar(pg, SRC, ROWS.formatted("public.orders WHERE tenant_id = 'acme'")));
        assertThat(scalar(pg, tgt, "SELECT count(*) FROM public.orders WHERE tenant_id <> 'acme'")).isEqualTo("1");
        assertFenced(tgt, "acme", "INSERT INTO public.notes VALUES ('acme', 10, 'app write')");
    }

    @Test
    void aTargetHoldingTheTenantsRowsKeepsThemUntilALargeCopyCommits() throws Exception {
        String tgt = "copy_par_keep_tgt";
        pg.createDatabase(tgt);
        // the tenant's rows of an earlier copy (a resync, or a migration's old primary), and a row the copy will refuse
        exec(pg, tgt, "CREATE TABLE public.orders (tenant_id text NOT NULL, id int, total numeric(30,10) CHECK (total < 900),"
                + " doc jsonb, PRIMARY KEY (tenant_id, id))", "INSERT INTO public.orders VALUES ('acme', 1, 1, NULL)");
        TenantScope acme = new TenantScope("acme", TenancyModel.ROW, "public", null, "tenant_id", TableFilter.ALL);
        try (Exported snapshot = Exported.open(); Connection t = pg.connect(tgt)) {
            Fence.installSchema(t);
            Checkpoints.installSchema(t);
            Checkpoints.claim(t, "rep-keep", 2);
            assertThatThrownBy(() -> InitialCopy.run(Sql.endpoint(pg, SRC), snapshot.name, snapshot.lsn, Sql.endpoint(pg, tgt),
                    acme, "rep-keep", 2, (table, done, estimated) -> { }, new CopyCancellation(), new CopyOptions(3, 0, 8192)))
                    .isInstanceOf(SQLException.class).hasMessageContaining("orders_total_check");
        }
        // copied in one transaction: the earlier rows are still there, not emptied by a first part
        assertThat(scalar(pg, tgt, ROWS.formatted("public.orders"))).isEqualTo("(acme,1,1.0000000000,)");
    }

    @Test
    void aFailedCopyLeavesNothingBehind() throws Exception {
        String tgt = "copy_fail_tgt";
        pg.createDatabase(tgt);
        // tables go across in name order: notes is created and filled, then orders refuses a row
        exec(pg, tgt, "CREATE TABLE public.orders (tenant_id text NOT NULL, id int, total numeric(30,10) CHECK (total < 900),"
                        + " doc jsonb, PRIMARY KEY (tenant_id, id))",
                "INSERT INTO public.orders VALUES ('acme', 1, 1, NULL), ('globex', 1, 1, NULL)");
        TenantScope acme = new TenantScope("acme", TenancyModel.ROW, "public", null, "tenant_id", TableFilter.ALL);
        List<TableId> started = new ArrayList<>();
        try (Exported snapshot = Exported.open()) {
            assertThatThrownBy(() -> InitialCopy.run(Sql.endpoint(pg, SRC), snapshot.name, snapshot.lsn, Sql.endpoint(pg, tgt),
                    acme, "rep-fail", 1, (table, done, estimated) -> started.add(table)))
                    .isInstanceOf(SQLException.class).hasMessageContaining("orders_total_check");
        }
        assertThat(started).contains(new TableId("public", "notes"), new TableId("public", "orders"));
        assertThat(scalar(pg, tgt, "SELECT to_regclass('public.notes') IS NULL AND to_regnamespace('helios') IS NULL")).isEqualTo("t");
        assertThat(scalar(pg, tgt, ROWS.formatted("public.orders"))).isEqualTo("(acme,1,1.0000000000,) (globex,1,1.0000000000,)");
        assertThat(scalar(pg, tgt, "SELECT count(*) FROM pg_trigger WHERE tgname LIKE 'helios%'")).isEqualTo("0");
    }

    private static void assertCheckpoint(String tgt, String rid, Lsn lsn, long epoch) throws SQLException {
        try (Connection c = pg.connect(tgt)) {
            assertThat(Checkpoints.read(c, rid)).contains(new Checkpoint(rid, lsn, epoch, null));
            assertThat(Fence.isFenced(c, "acme")).isTrue();
        }
    }

    private static void assertFenced(String tgt, String tenant, String sql) {
        assertThatThrownBy(() -> exec(pg, tgt, sql))
                .hasMessageContaining("tenant \"" + tenant + "\" is read-only on this endpoint (helios fence: replica of replication rep-");
    }

    /** A snapshot exported by an open REPEATABLE READ transaction on the source, and the WAL position then. */
    private static final class Exported implements AutoCloseable {
        private final Connection holder;
        private final String name;
        private final Lsn lsn;

        private Exported(Connection holder, String name, Lsn lsn) {
            this.holder = holder;
            this.name = name;
            this.lsn = lsn;
        }

        static Exported open() throws SQLException {
            Connection c = pg.connect(SRC);
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                s.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ");
                List<String> values = new ArrayList<>();
                try (ResultSet rs = s.executeQuery("SELECT pg_export_snapshot(), pg_current_wal_lsn()::text")) {
                    rs.next();
                    values.add(rs.getString(1));
                    values.add(rs.getString(2));
                }
                return new Exported(c, values.get(0), Lsn.parse(values.get(1)));
            }
        }

        @Override
        public void close() throws SQLException {
            holder.rollback();
            holder.close();
        }
    }
}
