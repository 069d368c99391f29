package io.helios.postgres;

import io.helios.core.apply.ConflictStrategy;
import io.helios.core.change.Change;
import io.helios.core.change.Column;
import io.helios.core.change.Lsn;
import io.helios.core.change.Relation;
import io.helios.core.change.RowImage;
import io.helios.core.change.SourceTransaction;
import io.helios.core.change.TableId;
import io.helios.core.tenant.TableFilter;
import io.helios.core.tenant.TenancyModel;
import io.helios.core.tenant.TenantScope;
import io.helios.postgres.apply.ApplyResult;
import io.helios.postgres.apply.ConflictException;
import io.helios.postgres.apply.TransactionApplier;
import io.helios.postgres.checkpoint.Checkpoints;
import io.helios.postgres.checkpoint.StaleLeaseException;
import io.helios.postgres.ddl.SchemaMismatchException;
import io.helios.testsupport.PostgresCluster;
import io.helios.testsupport.TestClusters;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static io.helios.postgres.Sql.exec;
import static io.helios.postgres.Sql.scalar;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The applier against a real target: exactly once, whole groups, conflicts, stale leases, schema changes. */
class TransactionApplierIT {

    private static final String SRC = "applier_src";
    private static final String TGT = "applier_tgt";
    private static final TenantScope SCOPE = new TenantScope("t1", TenancyModel.SCHEMA, "app", "app", null, TableFilter.ALL);
    private static PostgresCluster pg;
    private static int oid;
    private static int int8;
    private static int text;
    private static int numeric;
    private static String rid = "00000000-0000-0000-0000-000000000001";
    private long lsn = 0x1000;

    @BeforeAll
    static void databases() {
        pg = TestClusters.shared();
        pg.createDatabase(SRC);
        pg.createDatabase(TGT);
        int8 = Integer.parseInt(scalar(pg, SRC, "SELECT 'int8'::regtype::oid"));
        text = Integer.parseInt(scalar(pg, SRC, "SELECT 'text'::regtype::oid"));
        numeric = Integer.parseInt(scalar(pg, SRC, "SELECT 'numeric'::regtype::oid"));
    }

    @BeforeEach
    void freshTarget() throws Exception {
        exec(pg, TGT, "DROP SCHEMA IF EXISTS app CASCADE", "DROP SCHEMA IF EXISTS helios CASCADE");
        try (Connection c = pg.connect(TGT)) {
            Checkpoints.installSchema(c);
            Checkpoints.insert(c, rid, 1, Lsn.parse("0/100"));
        }
        oid++;
    }

    private Relation items(Column... extra) {
        List<Column> cols = new ArrayList<>(List.of(new Column("id", int8, -1, true), new Column("name", text, -1, false),
                new Column("amount", numeric, -1, false)));
        cols.addAll(List.of(extra));
        return new Relation(oid, new TableId("app", "items"), cols, 'd');
    }

    private SourceTransaction tx(Change... changes) {
        lsn += 0x100;
        return new SourceTransaction(lsn, new Lsn(lsn - 8), new Lsn(lsn), Instant.now(), List.of(changes));
    }

    private TransactionApplier applier(long epoch, ConflictStrategy strategy) {
        return new TransactionApplier(Sql.endpoint(pg, TGT), Sql.endpoint(pg, SRC), SCOPE, rid, epoch, strategy);
    }

    @Test
    void appliesInsertsUpdatesDeletesExactlyAndAdvancesCheckpoint() throws Exception {
        Relation r = items();
        List<Change> inserts = new ArrayList<>();
        for (int i = 1; i <= 200; i++) {
            inserts.add(Change.insert(r, RowImage.of(String.valueOf(i), "tab\there\\ and \"quotes\" \nnewline ✓", "12345678901234567890.123456789012")));
        }
        try (TransactionApplier a = applier(1, ConflictStrategy.ERROR)) {
            ApplyResult res = a.apply(List.of(tx(inserts.toArray(Change[]::new)),
                    tx(Change.update(r, null, RowImage.of("1", null, "-0.5")),
                            Change.update(r, RowImage.of("2", null, null), RowImage.of("1002", "moved", "2")),
                            Change.delete(r, RowImage.of("3", null, null)))));
            assertThat(res.transactions()).isEqualTo(2);
            assertThat(res.rows()).isEqualTo(203);
        }
        assertThat(scalar(pg, TGT, "SELECT count(*) FROM app.items")).isEqualTo("199");
        assertThat(scalar(pg, TGT, "SELECT name FROM app.items WHERE id = 4")).isEqualTo("tab\there\\ and \"quotes\" \nnewline ✓");
        assertThat(scalar(pg, TGT, "SELECT amount::text FROM app.items WHERE id = 4")).isEqualTo("12345678901234567890.123456789012");
        assertThat(scalar(pg, TGT, "SELECT name IS NULL AND amount = -0.5 FROM app.items WHERE id = 1")).isEqualTo("t");
        assertThat(scalar(pg, TGT, "SELECT name FROM app.items WHERE id = 1002")).isEqualTo("moved");
        assertThat(scalar(pg, TGT, "SELECT lsn::text FROM helios.replication_checkpoint")).isEqualTo(new Lsn(lsn).toString());
    }

    @Test
    void leavesUnchangedToastValuesAlone() throws Exception {
        Relation r = items();
        try (TransactionApplier a = applier(1, ConflictStrategy.ERROR)) {
            a.apply(List.of(tx(Change.insert(r, RowImage.of("1", "big value", "1")))));
            a.apply(List.of(tx(Change.update(r, null, RowImage.of("1", RowImage.UNCHANGED, "2")))));
        }
        assertThat(scalar(pg, TGT, "SELECT name || ':' || amount FROM app.items")).isEqualTo("big value:2");
    }

    @Test
    void staleEpochRollsBackTheWholeGroup() throws Exception {
        Relation r = items();
        try (Connection c = pg.connect(TGT)) {
            Checkpoints.claim(c, rid, 2);
        }
        try (TransactionApplier stale = applier(1, ConflictStrategy.ERROR)) {
            assertThatThrownBy(() -> stale.apply(List.of(tx(Change.insert(r, RowImage.of("1", "x", "1"))))))
                    .isInstanceOf(StaleLeaseException.class);
        }
        // even the table the group created is gone: the whole target transaction rolled back
        assertThat(scalar(pg, TGT, "SELECT to_regclass('app.items') IS NULL")).isEqualTo("t");
        assertThat(scalar(pg, TGT, "SELECT lease_epoch FROM helios.replication_checkpoint")).isEqualTo("2");
    }

    @Test
    void skipsTransactionsAtOrBelowTheCheckpoint() throws Exception {
        Relation r = items();
        SourceTransaction first = tx(Change.insert(r, RowImage.of("1", "a", "1")));
        try (TransactionApplier a = applier(1, ConflictStrategy.ERROR)) {
            a.apply(List.of(first));
        }
        try (TransactionApplier again = applier(1, ConflictStrategy.ERROR)) {
            ApplyResult res = again.apply(List.of(first, tx(Change.insert(r, RowImage.of("2", "b", "2")))));
            assertThat(res.transactions()).isEqualTo(1);
        }
        assertThat(scalar(pg, TGT, "SELECT string_agg(id::text, ',' ORDER BY id) FROM app.items")).isEqualTo("1,2");
    }

    @Test
    void divergenceStopsUnderErrorAndIsSkippedUnderKeepTarget() throws Exception {
        Relation r = items();
        try (TransactionApplier a = applier(1, ConflictStrategy.ERROR)) {
            a.apply(List.of(tx(Change.insert(r, RowImage.of("1", "a", "1")))));
            assertThatThrownBy(() -> a.apply(List.of(tx(Change.insert(r, RowImage.of("5", "b", "1")),
                    Change.delete(r, RowImage.of("404", null, null))))))
                    .isInstanceOf(ConflictException.class).hasMessageContaining("app.items").hasMessageContaining("404");
        }
        assertThat(scalar(pg, TGT, "SELECT count(*) FROM app.items")).isEqualTo("1");
        try (TransactionApplier lenient = applier(1, ConflictStrategy.KEEP_TARGET)) {
            lenient.apply(List.of(tx(Change.insert(r, RowImage.of("1", "ignored", "9")),
                    Change.delete(r, RowImage.of("404", null, null)))));
            assertThat(lenient.conflictsSkipped()).as("the existing row 1 and the missing row 404").isEqualTo(2);
        }
        assertThat(scalar(pg, TGT, "SELECT name FROM app.items WHERE id = 1")).isEqualTo("a");
    }

    @Test
    void followsAnAddedColumnAndRefusesATypeChange() throws Exception {
        try (TransactionApplier a = applier(1, ConflictStrategy.ERROR)) {
            a.apply(List.of(tx(Change.insert(items(), RowImage.of("1", "a", "1")))));
            Relation wider = items(new Column("color", text, -1, false));
            a.apply(List.of(tx(Change.insert(wider, RowImage.of("2", "b", "2", "red")))));
            assertThat(scalar(pg, TGT, "SELECT color FROM app.items WHERE id = 2")).isEqualTo("red");
            Relation retyped = new Relation(oid, new TableId("app", "items"), List.of(new Column("id", int8, -1, true),
                    new Column("name", int8, -1, false), new Column("amount", numeric, -1, false)), 'd');
            assertThatThrownBy(() -> a.apply(List.of(tx(Change.insert(retyped, RowImage.of("3", "3", "3"))))))
                    .isInstanceOf(SchemaMismatchException.class).hasMessageContaining("name").hasMessageContaining("bigint");
        }
        assertThat(scalar(pg, TGT, "SELECT count(*) FROM app.items")).isEqualTo("2");
    }
}
