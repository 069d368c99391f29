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
import io.helios.postgres.apply.TransactionApplier;
import io.helios.postgres.checkpoint.Checkpoints;
import io.helios.postgres.ddl.SchemaMismatchException;
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

/** The applier follows the source's schema: new tables, added columns; it stops on what it cannot follow. */
class ApplierSchemaIT {

    private static final String SRC = "schema_src";
    private static final String TGT = "schema_tgt";
    private static final TenantScope SCOPE = new TenantScope("s1", TenancyModel.SCHEMA, "app", "replica", null, TableFilter.ALL);
    private static PostgresCluster pg;
    private static int replication;
    private long lsn = 0x20_0000;

    @BeforeAll
    static void databases() {
        pg = TestClusters.shared();
        pg.createDatabase(SRC);
        pg.createDatabase(TGT);
        exec(pg, SRC, "CREATE SCHEMA app");
    }

    @Test
    void createsANewTableFromTheSourceCatalogAndFencesIt() throws Exception {
        exec(pg, SRC, "CREATE TABLE app.fresh (code varchar(12) NOT NULL, id int, note text, PRIMARY KEY (id, code))");
        Relation fresh = Sql.relationOf(pg, SRC, new TableId("app", "fresh"));
        String rid = newReplication();
        try (TransactionApplier a = applier(rid)) {
            a.apply(List.of(tx(Change.insert(fresh, RowImage.of("A-1", "1", null)))));
        }
        assertThat(scalar(pg, TGT, "SELECT string_agg(format('%s %s %s', attname, format_type(atttypid, atttypmod), attnotnull), ', '"
                + " ORDER BY attnum) FROM pg_attribute WHERE attrelid = 'replica.fresh'::regclass AND attnum > 0"))
                .isEqualTo("code character varying(12) t, id integer t, note text f");
        assertThat(scalar(pg, TGT, "SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = 'replica.fresh'::regclass AND contype = 'p'"))
                .isEqualTo("PRIMARY KEY (id, code)");
        assertThat(scalar(pg, TGT, "SELECT count(*) FROM pg_trigger WHERE tgrelid = 'replica.fresh'::regclass AND tgname LIKE 'helios_fence%'"))
                .isEqualTo("2");
        try (Connection c = pg.connect(TGT)) {
            Fence.fence(c, "s1", "replica of " + rid);
        }
        assertThatThrownBy(() -> exec(pg, TGT, "INSERT INTO replica.fresh VALUES ('B', 2, 'app write')"))
                .hasMessageContaining("tenant \"s1\" is read-only on this endpoint (helios fence: replica of " + rid + ")");
    }

    @Test
    void aColumnAddedOnTheSourceReachesTheTarget() throws Exception {
        exec(pg, SRC, "CREATE TABLE app.growing (id int PRIMARY KEY, name text)");
        Relation before = Sql.relationOf(pg, SRC, new TableId("app", "growing"));
        String rid = newReplication();
        try (TransactionApplier a = applier(rid)) {
            a.apply(List.of(tx(Change.insert(before, RowImage.of("1", "one")))));
            exec(pg, SRC, "ALTER TABLE app.growing ADD COLUMN price numeric(12,2), ADD COLUMN tags text[]");
            Relation after = Sql.relationOf(pg, SRC, new TableId("app", "growing"));
            a.apply(List.of(tx(Change.insert(after, RowImage.of("2", "two", "9.90", "{a,b}")),
                    Change.update(after, null, RowImage.of("1", "one", "1.00", null)))));
        }
        assertThat(scalar(pg, TGT, "SELECT format_type(atttypid, atttypmod) FROM pg_attribute"
                + " WHERE attrelid = 'replica.growing'::regclass AND attname = 'price'")).isEqualTo("numeric(12,2)");
        assertThat(scalar(pg, TGT, "SELECT string_agg(g::text, ' ' ORDER BY id) FROM replica.growing g"))
                .isEqualTo("(1,one,1.00,) (2,two,9.90,\"{a,b}\")");
    }

    @Test
    void aTypeChangeStopsTheGroupAndNothingIsApplied() throws Exception {
        exec(pg, SRC, "CREATE TABLE app.retyped (id int PRIMARY KEY, qty int)", "CREATE TABLE app.other (id int PRIMARY KEY)");
        TableId retyped = new TableId("app", "retyped");
        Relation original = Sql.relationOf(pg, SRC, retyped);
        Relation other = Sql.relationOf(pg, SRC, new TableId("app", "other"));
        String rid = newReplication();
        Lsn applied;
        try (TransactionApplier a = applier(rid)) {
            a.apply(List.of(tx(Change.insert(original, RowImage.of("1", "5")))));
            applied = new Lsn(lsn);
            exec(pg, SRC, "ALTER TABLE app.retyped ALTER COLUMN qty TYPE numeric(10,3)");
            Relation changed = Sql.relationOf(pg, SRC, retyped);
            assertThatThrownBy(() -> a.apply(List.of(tx(Change.insert(other, RowImage.of("7"))),
                    tx(Change.insert(changed, RowImage.of("2", "2.5"))))))
                    .isInstanceOf(SchemaMismatchException.class)
                    .hasMessageContaining("app.retyped").hasMessageContaining("qty")
                    .hasMessageContaining("numeric(10,3)").hasMessageContaining("integer");
        }
        assertThat(scalar(pg, TGT, "SELECT to_regclass('replica.other') IS NULL")).isEqualTo("t");
        assertThat(scalar(pg, TGT, "SELECT string_agg(id::text, ',') FROM replica.retyped")).isEqualTo("1");
        assertThat(scalar(pg, TGT, "SELECT lsn::text FROM helios.replication_checkpoint WHERE replication_id = '" + rid + "'"))
                .isEqualTo(applied.toString());
    }

    @Test
    void aTableWithoutKeyOrFullIdentityIsRefused() throws Exception {
        exec(pg, SRC, "CREATE TABLE app.keyless (a int, b text)");
        Relation keyless = Sql.relationOf(pg, SRC, new TableId("app", "keyless"));
        try (TransactionApplier a = applier(newReplication())) {
            assertThatThrownBy(() -> a.apply(List.of(tx(Change.insert(keyless, RowImage.of("1", "x"))))))
                    .isInstanceOf(SchemaMismatchException.class).hasMessageContaining("app.keyless")
                    .hasMessageContaining("REPLICA IDENTITY FULL");
        }
        assertThat(scalar(pg, TGT, "SELECT to_regclass('replica.keyless') IS NULL")).isEqualTo("t");
    }

    @Test
    void fullIdentityRowsAreMatchedOnAllOldValuesOneAtATime() throws Exception {
        exec(pg, SRC, "CREATE TABLE app.loose (a int, b text, doc json)", "ALTER TABLE app.loose REPLICA IDENTITY FULL");
        Relation loose = Sql.relationOf(pg, SRC, new TableId("app", "loose"));
        RowImage dup = RowImage.of("1", null, "{\"x\": [1, 2]}");
        try (TransactionApplier a = applier(newReplication())) {
            a.apply(List.of(tx(Change.insert(loose, dup), Change.insert(loose, dup), Change.insert(loose, RowImage.of("2", "b", null)))));
            a.apply(List.of(tx(Change.update(loose, dup, RowImage.of("1", "changed", "{\"x\": [1, 2]}")),
                    Change.delete(loose, RowImage.of("2", "b", null)))));
        }
        assertThat(Sql.column(pg, TGT, "SELECT coalesce(b, '<null>') FROM replica.loose ORDER BY 1"))
                .containsExactly("<null>", "changed");
        assertThat(scalar(pg, TGT, "SELECT relreplident FROM pg_class WHERE oid = 'replica.loose'::regclass")).isEqualTo("f");
    }

    private String newReplication() throws Exception {
        String rid = "schema-" + (++replication);
        try (Connection c = pg.connect(TGT)) {
            Checkpoints.installSchema(c);
            Checkpoints.insert(c, rid, 1, Lsn.parse("0/1"));
        }
        return rid;
    }

    private TransactionApplier applier(String rid) {
        return new TransactionApplier(Sql.endpoint(pg, TGT), Sql.endpoint(pg, SRC), SCOPE, rid, 1, ConflictStrategy.ERROR);
    }

    private SourceTransaction tx(Change... changes) {
        lsn += 0x100;
        return new SourceTransaction(lsn, new Lsn(lsn - 8), new Lsn(lsn), Instant.now(), List.of(changes));
    }
}
