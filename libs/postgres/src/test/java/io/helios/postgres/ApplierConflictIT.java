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
import io.helios.postgres.apply.ConflictException;
import io.helios.postgres.apply.TransactionApplier;
import io.helios.postgres.checkpoint.Checkpoints;
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

/** What the applier does when the target disagrees with a change, per conflict strategy. */
class ApplierConflictIT {

    private static final String SRC = "conflict_src";
    private static final String TGT = "conflict_tgt";
    private static final String RID = "conflict-1";
    private static final TenantScope SCOPE = new TenantScope("c1", TenancyModel.SCHEMA, "app", null, null, TableFilter.ALL);
    private static final String CONTENT = "SELECT string_agg(id || '=' || coalesce(v, '<null>'), ' ' ORDER BY id) FROM app.kv";
    private static PostgresCluster pg;
    private static Relation kv;
    private long lsn = 0x30_0000;

    @BeforeAll
    static void databases() {
        pg = TestClusters.shared();
        pg.createDatabase(SRC);
        pg.createDatabase(TGT);
        exec(pg, SRC, "CREATE SCHEMA app", "CREATE TABLE app.kv (id int PRIMARY KEY, v text)");
        kv = Sql.relationOf(pg, SRC, new TableId("app", "kv"));
    }

    /** The target holds 1=one and 2=two, checkpoint at 0/1. */
    @BeforeEach
    void targetWithTwoRows() throws Exception {
        exec(pg, TGT, "DROP SCHEMA IF EXISTS app CASCADE", "DROP SCHEMA IF EXISTS helios CASCADE",
                "CREATE SCHEMA app", "CREATE TABLE app.kv (id int PRIMARY KEY, v text)",
                "INSERT INTO app.kv VALUES (1, 'one'), (2, 'two')");
        try (Connection c = pg.connect(TGT)) {
            Checkpoints.installSchema(c);
            Checkpoints.insert(c, RID, 1, Lsn.parse("0/1"));
        }
    }

    @Test
    void errorStopsOnAnInsertThatMeetsARowAndRollsBackTheGroup() {
        assertConflict(ConflictStrategy.ERROR, List.of(tx(Change.insert(kv, row(3, "three"))), tx(Change.insert(kv, row(1, "uno")))),
                "app.kv", "Key (id)=(1) already exists");
    }

    @Test
    void errorStopsOnACopyRunThatMeetsARow() {
        List<Change> many = new ArrayList<>();
        for (int i = 2; i < 200; i++) {
            many.add(Change.insert(kv, row(i, "v" + i)));
        }
        assertConflict(ConflictStrategy.ERROR, List.of(tx(many.toArray(Change[]::new))), "app.kv", "Key (id)=(2) already exists");
    }

    @Test
    void errorStopsOnAnUpdateOrDeleteThatFindsNoRow() {
        assertConflict(ConflictStrategy.ERROR, List.of(tx(Change.update(kv, null, row(404, "x")))),
                "update of app.kv key (\"id\"=404) found no row", "diverged");
        assertConflict(ConflictStrategy.ERROR, List.of(tx(Change.delete(kv, RowImage.of("405", null)))),
                "delete of app.kv key (\"id\"=405) found no row", "diverged");
    }

    @Test
    void sourceWinsUpsertsInsertsMissingUpdatesAndIgnoresMissingDeletes() throws Exception {
        try (TransactionApplier a = applier(ConflictStrategy.SOURCE_WINS)) {
            a.apply(List.of(tx(Change.insert(kv, row(1, "uno")), Change.update(kv, null, row(7, "seven")),
                    Change.delete(kv, RowImage.of("404", null)), Change.update(kv, null, RowImage.of("8", RowImage.UNCHANGED)))));
            assertThat(a.conflictsSkipped()).as("the missing delete and the incomplete update").isEqualTo(2);
        }
        assertThat(scalar(pg, TGT, CONTENT)).isEqualTo("1=uno 2=two 7=seven");
        assertThat(checkpoint()).isEqualTo(new Lsn(lsn).toString());
    }

    @Test
    void keepTargetSkipsAndCountsEveryConflict() throws Exception {
        try (TransactionApplier a = applier(ConflictStrategy.KEEP_TARGET)) {
            a.apply(List.of(tx(Change.insert(kv, row(1, "uno")), Change.insert(kv, row(3, "three")),
                    Change.update(kv, null, row(7, "seven")), Change.delete(kv, RowImage.of("404", null)),
                    Change.update(kv, null, row(2, "dos")))));
            assertThat(a.conflictsSkipped()).isEqualTo(3);
        }
        assertThat(scalar(pg, TGT, CONTENT)).isEqualTo("1=one 2=dos 3=three");
    }

    private void assertConflict(ConflictStrategy strategy, List<SourceTransaction> group, String... messageParts) {
        try (TransactionApplier a = applier(strategy)) {
            assertThatThrownBy(() -> a.apply(group)).isInstanceOf(ConflictException.class)
                    .hasMessageContainingAll(messageParts);
        }
        assertThat(scalar(pg, TGT, CONTENT)).isEqualTo("1=one 2=two");
        assertThat(checkpoint()).isEqualTo("0/1");
    }

    private String checkpoint() {
        return scalar(pg, TGT, "SELECT lsn::text FROM helios.replication_checkpoint WHERE replication_id = '" + RID + "'");
    }

    private static RowImage row(int id, String v) {
        return RowImage.of(String.valueOf(id), v);
    }

    private TransactionApplier applier(ConflictStrategy strategy) {
        return new TransactionApplier(Sql.endpoint(pg, TGT), Sql.endpoint(pg, SRC), SCOPE, RID, 1, strategy);
    }

    private SourceTransaction tx(Change... changes) {
        lsn += 0x100;
        return new SourceTransaction(lsn, new Lsn(lsn - 8), new Lsn(lsn), Instant.now(), List.of(changes));
    }
}
