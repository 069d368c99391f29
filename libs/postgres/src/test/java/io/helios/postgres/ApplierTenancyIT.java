package io.helios.postgres;

import io.helios.core.apply.ConflictStrategy;
import io.helios.core.change.Change;
import io.helios.core.change.Lsn;
import io.helios.core.change.Relation;
import io.helios.core.change.RowImage;
import io.helios.core.change.SourceTransaction;
import io.helios.core.change.TableId;
import io.helios.core.tenant.TableFilter;
import io.helios.core.tenant.TenancyModel;
import io.helios.core.tenant.TenantScope;
import io.helios.postgres.apply.ApplyResult;
import io.helios.postgres.apply.TransactionApplier;
import io.helios.postgres.checkpoint.Checkpoint;
import io.helios.postgres.checkpoint.Checkpoints;
import io.helios.postgres.fence.Fence;
import io.helios.testsupport.PostgresCluster;
import io.helios.testsupport.TestClusters;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.time.Instant;
import java.util.List;

import static io.helios.postgres.Sql.exec;
import static io.helios.postgres.Sql.scalar;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Multi-table transactions, TRUNCATE per tenancy model, and the applier writing through the
 * fence that refuses applications.
 */
class ApplierTenancyIT {

    private static final String SRC = "tenancy_src";
    private static final String TGT = "tenancy_tgt";
    private static final Instant COMMIT = Instant.parse("2025-05-05T05:05:05.555555Z");
    private static PostgresCluster pg;
    private static Relation items;
    private static Relation orders;
    private static Relation shared;
    private long lsn = 0x40_0000;

    @BeforeAll
    static void databases() throws Exception {
        pg = TestClusters.shared();
        pg.createDatabase(SRC);
        pg.createDatabase(TGT);
        exec(pg, SRC, "CREATE SCHEMA acme", "CREATE TABLE acme.items (id int PRIMARY KEY, name text)",
                "CREATE TABLE acme.orders (id int PRIMARY KEY, item int, qty int)",
                "CREATE TABLE public.shared (tenant_id text, id int, v text, PRIMARY KEY (tenant_id, id))");
        items = Sql.relationOf(pg, SRC, new TableId("acme", "items"));
        orders = Sql.relationOf(pg, SRC, new TableId("acme", "orders"));
        shared = Sql.relationOf(pg, SRC, new TableId("public", "shared"));
        try (Connection c = pg.connect(TGT)) {
            Checkpoints.installSchema(c);
            Fence.installSchema(c);
            Checkpoints.insert(c, "schema-rep", 1, Lsn.parse("0/1"));
            Checkpoints.insert(c, "row-rep", 1, Lsn.parse("0/1"));
            Fence.fence(c, "acme", "replica of replication schema-rep");
            Fence.fence(c, "a", "replica of replication row-rep");
        }
    }

    @Test
    void schemaTenantAppliesMultiTableTransactionsAndTruncatesThroughTheFence() throws Exception {
        TenantScope acme = new TenantScope("acme", TenancyModel.SCHEMA, "acme", "acme_copy", null, TableFilter.ALL);
        try (TransactionApplier a = applier(acme, "schema-rep")) {
            ApplyResult first = a.apply(List.of(
                    tx(Change.insert(items, RowImage.of("1", "bolt")), Change.insert(orders, RowImage.of("10", "1", "5")),
                            Change.insert(items, RowImage.of("2", "nut"))),
                    tx(Change.update(orders, null, RowImage.of("10", "2", "6")), Change.delete(items, RowImage.of("1", null)))));
            assertThat(first).as("insert+delete of item 1 nets to nothing, insert+update of order 10 to one insert")
                    .isEqualTo(new ApplyResult(2, 5, new Lsn(lsn), COMMIT, 2));
            assertThat(rows("acme_copy.items")).isEqualTo("(2,nut)");
            assertThat(rows("acme_copy.orders")).isEqualTo("(10,2,6)");
            assertApplicationRefused("INSERT INTO acme_copy.items VALUES (3, 'app')", "acme");
            assertApplicationRefused("TRUNCATE acme_copy.orders", "acme");

            a.apply(List.of(tx(Change.truncate(List.of(items, orders)), Change.insert(items, RowImage.of("9", "after")))));
        }
        assertThat(rows("acme_copy.items")).isEqualTo("(9,after)");
        assertThat(rows("acme_copy.orders")).isNull();
        try (Connection c = pg.connect(TGT)) {
            assertThat(Checkpoints.read(c, "schema-rep")).contains(new Checkpoint("schema-rep", new Lsn(lsn), 1, COMMIT));
        }
    }

    @Test
    void rowTenantTruncateRemovesOnlyItsOwnRows() throws Exception {
        exec(pg, TGT, "CREATE TABLE public.shared (tenant_id text, id int, v text, PRIMARY KEY (tenant_id, id))",
                "INSERT INTO public.shared VALUES ('b', 1, 'other tenant')");
        TenantScope a = new TenantScope("a", TenancyModel.ROW, "public", null, "tenant_id", TableFilter.ALL);
        try (Connection c = pg.connect(TGT)) {
            Fence.protect(c, new TableId("public", "shared"), a);
        }
        try (TransactionApplier applier = applier(a, "row-rep")) {
            applier.apply(List.of(tx(Change.insert(shared, RowImage.of("a", "1", "x")), Change.insert(shared, RowImage.of("a", "2", "y")))));
            assertApplicationRefused("UPDATE public.shared SET v = 'app' WHERE tenant_id = 'a'", "a");
            assertApplicationRefused("TRUNCATE public.shared", "a");
            applier.apply(List.of(tx(Change.truncate(List.of(shared)))));
        }
        assertThat(rows("public.shared")).isEqualTo("(b,1,\"other tenant\")");
        exec(pg, TGT, "UPDATE public.shared SET v = 'still writable' WHERE tenant_id = 'b'");
    }

    private void assertApplicationRefused(String sql, String tenant) {
        assertThatThrownBy(() -> exec(pg, TGT, sql)).hasMessageContaining("tenant \"" + tenant + "\" is read-only on this endpoint");
    }

    private static String rows(String table) {
        return scalar(pg, TGT, "SELECT string_agg(x::text, ' ' ORDER BY x::text) FROM " + table + " x");
    }

    private TransactionApplier applier(TenantScope scope, String rid) {
        return new TransactionApplier(Sql.endpoint(pg, TGT), Sql.endpoint(pg, SRC), scope, rid, 1, ConflictStrategy.ERROR);
    }

    private SourceTransaction tx(Change... changes) {
        lsn += 0x100;
        return new SourceTransaction(lsn, new Lsn(lsn - 8), new Lsn(lsn), COMMIT, List.of(changes));
    }
}
