package io.helios.postgres;

import io.helios.core.change.TableId;
import io.helios.core.tenant.TableFilter;
import io.helios.core.tenant.TenancyModel;
import io.helios.core.tenant.TenantScope;
import io.helios.postgres.catalog.Catalog;
import io.helios.postgres.catalog.ColumnDef;
import io.helios.postgres.catalog.TableDef;
import io.helios.postgres.ddl.SchemaMismatchException;
import io.helios.postgres.ddl.SchemaSync;
import io.helios.testsupport.PostgresCluster;
import io.helios.testsupport.TestClusters;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.util.List;

import static io.helios.postgres.Sql.exec;
import static io.helios.postgres.Sql.scalar;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Catalog introspection and DDL sync against real databases. */
class CatalogIT {

    private static final String SRC = "catalog_src";
    private static final String TGT = "catalog_tgt";
    /** The DDL sync test alters its source table: a database of its own keeps the other tests' view stable. */
    private static final String SYNC_SRC = "catalog_sync_src";
    private static PostgresCluster pg;

    @BeforeAll
    static void databases() {
        pg = TestClusters.shared();
        pg.createDatabase(SRC);
        pg.createDatabase(TGT);
        pg.createDatabase(SYNC_SRC);
        exec(pg, SYNC_SRC, "CREATE SCHEMA shop", "CREATE TABLE shop.orders (tenant text NOT NULL, id bigint, note varchar(40),"
                + " PRIMARY KEY (id, tenant))", "CREATE TABLE shop.audit (line text)", "ALTER TABLE shop.audit REPLICA IDENTITY FULL");
        exec(pg, SRC, "CREATE SCHEMA shop", "CREATE SCHEMA other",
                "CREATE TABLE shop.orders (tenant text NOT NULL, id bigint, total numeric(12,2), note varchar(40),"
                        + " PRIMARY KEY (id, tenant))",
                "CREATE TABLE shop.events (id int, at timestamptz NOT NULL, PRIMARY KEY (id, at)) PARTITION BY RANGE (at)",
                "CREATE TABLE shop.events_2024 PARTITION OF shop.events FOR VALUES FROM ('2024-01-01') TO ('2025-01-01')",
                "CREATE TABLE shop.audit (line text)", "ALTER TABLE shop.audit REPLICA IDENTITY FULL",
                "CREATE VIEW shop.v AS SELECT 1 AS x", "CREATE TABLE other.elsewhere (id int PRIMARY KEY)");
    }

    @Test
    void listsTheScopesOrdinaryAndPartitionedTablesSortedWithoutPartitions() throws Exception {
        try (Connection c = pg.connect(SRC)) {
            TenantScope shop = new TenantScope("t", TenancyModel.SCHEMA, "shop", null, null, TableFilter.ALL);
            assertThat(Catalog.tables(c, shop)).extracting(TableDef::id).containsExactly(
                    new TableId("shop", "audit"), new TableId("shop", "events"), new TableId("shop", "orders"));
            TenantScope filtered = new TenantScope("t", TenancyModel.SCHEMA, "shop", null, null,
                    TableFilter.of(List.of("*"), List.of("audit")));
            assertThat(Catalog.tables(c, filtered)).extracting(t -> t.id().table()).containsExactly("events", "orders");
            TenantScope database = new TenantScope("t", TenancyModel.DATABASE, null, null, null, TableFilter.ALL);
            assertThat(Catalog.tables(c, database)).extracting(t -> t.id().toString())
                    .containsExactly("other.elsewhere", "shop.audit", "shop.events", "shop.orders");
        }
    }

    @Test
    void describesColumnsKeyInKeyOrderAndReplicaIdentity() throws Exception {
        try (Connection c = pg.connect(SRC)) {
            TableDef orders = Catalog.table(c, new TableId("shop", "orders")).orElseThrow();
            assertThat(orders.columns()).containsExactly(new ColumnDef("tenant", "text", true),
                    new ColumnDef("id", "bigint", true), new ColumnDef("total", "numeric(12,2)", false),
                    new ColumnDef("note", "character varying(40)", false));
            assertThat(orders.primaryKey()).containsExactly("id", "tenant");
            assertThat(orders.replicaIdentity()).isEqualTo('d');
            assertThat(Catalog.table(c, new TableId("shop", "audit")).orElseThrow().replicaIdentity()).isEqualTo('f');
            assertThat(Catalog.table(c, new TableId("shop", "missing"))).isEmpty();
            int numeric = Integer.parseInt(scalar(pg, SRC, "SELECT 'numeric'::regtype::oid"));
            assertThat(Catalog.typeName(c, numeric, (12 << 16 | 2) + 4)).isEqualTo("numeric(12,2)");
            assertThat(Catalog.typeName(c, numeric, -1)).isEqualTo("numeric");
        }
    }

    @Test
    void createsMissingTablesAddsColumnsAndRefusesWhatItCannotFollow() throws Exception {
        try (Connection s = pg.connect(SYNC_SRC); Connection t = pg.connect(TGT)) {
            TableDef orders = Catalog.table(s, new TableId("shop", "orders")).orElseThrow();
            SchemaSync.ensureSchema(t, "copy");
            TableDef created = SchemaSync.createTableIfMissing(t, orders, "copy");
            assertThat(created.columns()).isEqualTo(orders.columns());
            assertThat(created.primaryKey()).isEqualTo(orders.primaryKey());
            exec(pg, SYNC_SRC, "ALTER TABLE shop.orders ADD COLUMN paid boolean");
            TableDef wider = Catalog.table(s, new TableId("shop", "orders")).orElseThrow();
            assertThat(SchemaSync.createTableIfMissing(t, wider, "copy").column("paid")).contains(new ColumnDef("paid", "boolean", false));
            exec(pg, TGT, "ALTER TABLE copy.orders ALTER COLUMN note TYPE text");
            assertThatThrownBy(() -> SchemaSync.createTableIfMissing(t, wider, "copy"))
                    .isInstanceOf(SchemaMismatchException.class)
                    .hasMessageContainingAll("shop.orders", "note", "character varying(40)", "text");
            TableDef keyless = new TableDef(new TableId("shop", "keyless"), List.of(new ColumnDef("a", "int", false)), List.of(), 'd');
            assertThatThrownBy(() -> SchemaSync.createTableIfMissing(t, keyless, "copy"))
                    .isInstanceOf(SchemaMismatchException.class).hasMessageContaining("shop.keyless");
            TableDef audit = Catalog.table(s, new TableId("shop", "audit")).orElseThrow();
            assertThat(SchemaSync.createTableIfMissing(t, audit, "copy").replicaIdentity()).isEqualTo('f');
        }
    }
}
