package io.helios.postgres;

import io.helios.core.change.TableId;
import io.helios.core.tenant.TableFilter;
import io.helios.core.tenant.TenancyModel;
import io.helios.core.tenant.TenantScope;
import io.helios.postgres.fence.Fence;
import io.helios.testsupport.PostgresCluster;
import io.helios.testsupport.TestClusters;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.SQLException;

import static io.helios.postgres.Sql.exec;
import static io.helios.postgres.Sql.scalar;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The fence refuses applications' writes of a fenced tenant and lets the replicator's session through. */
class FenceIT {

    private static final String DB = "fence_it";
    private static PostgresCluster pg;

    @BeforeAll
    static void setUp() throws Exception {
        pg = TestClusters.shared();
        pg.createDatabase(DB);
        exec(pg, DB, "CREATE TABLE public.shared (tenant_id text, id int, v text, PRIMARY KEY (tenant_id, id))",
                "CREATE SCHEMA acme", "CREATE TABLE acme.orders (id int PRIMARY KEY, v text)",
                "INSERT INTO public.shared VALUES ('a', 1, 'x'), ('b', 1, 'y')", "INSERT INTO acme.orders VALUES (1, 'x')");
        try (Connection c = pg.connect(DB)) {
            Fence.installSchema(c);
            Fence.protect(c, new TableId("public", "shared"), new TenantScope("a", TenancyModel.ROW, "public", null, "tenant_id", TableFilter.ALL));
            Fence.protect(c, new TableId("acme", "orders"), new TenantScope("acme", TenancyModel.SCHEMA, "acme", null, null, TableFilter.ALL));
            Fence.fence(c, "a", "replica of r1");
            Fence.fence(c, "acme", "replica of r2");
        }
    }

    @Test
    void refusesApplicationWritesOfFencedTenantsOnly() {
        assertThatThrownBy(() -> exec(pg, DB, "INSERT INTO public.shared VALUES ('a', 2, 'z')"))
                .hasMessageContaining("tenant \"a\" is read-only").hasMessageContaining("replica of r1");
        assertThatThrownBy(() -> exec(pg, DB, "UPDATE public.shared SET tenant_id = 'b' WHERE tenant_id = 'a'"))
                .hasMessageContaining("tenant \"a\"");
        assertThatThrownBy(() -> exec(pg, DB, "DELETE FROM acme.orders")).hasMessageContaining("tenant \"acme\"");
        assertThatThrownBy(() -> exec(pg, DB, "TRUNCATE acme.orders")).hasMessageContaining("tenant \"acme\"");
        assertThatThrownBy(() -> exec(pg, DB, "TRUNCATE public.shared")).hasMessageContaining("tenant \"a\"");
        exec(pg, DB, "UPDATE public.shared SET v = 'ok' WHERE tenant_id = 'b'");
        assertThat(scalar(pg, DB, "SELECT v FROM public.shared WHERE tenant_id = 'b'")).isEqualTo("ok");
    }

    @Test
    void refusalCarriesReadOnlySqlState() {
        assertThatThrownBy(() -> exec(pg, DB, "INSERT INTO acme.orders VALUES (7, 'no')"))
                .hasRootCauseInstanceOf(SQLException.class)
                .satisfies(e -> assertThat(((SQLException) e.getCause()).getSQLState()).isEqualTo("25006"));
    }

    @Test
    void replicatorSessionWritesThroughTheFence() {
        exec(pg, DB, "SET session_replication_role = replica; INSERT INTO acme.orders VALUES (2, 'replicated')");
        assertThat(scalar(pg, DB, "SELECT v FROM acme.orders WHERE id = 2")).isEqualTo("replicated");
    }

    @Test
    void unfencedTenantIsWritableAgain() throws Exception {
        exec(pg, DB, "CREATE SCHEMA IF NOT EXISTS beta", "CREATE TABLE IF NOT EXISTS beta.t (id int PRIMARY KEY)");
        try (Connection c = pg.connect(DB)) {
            Fence.protect(c, new TableId("beta", "t"), new TenantScope("beta", TenancyModel.SCHEMA, "beta", null, null, TableFilter.ALL));
            Fence.fence(c, "beta", "test");
            assertThat(Fence.isFenced(c, "beta")).isTrue();
            Fence.unfence(c, "beta");
        }
        exec(pg, DB, "INSERT INTO beta.t VALUES (1)");
        assertThat(scalar(pg, DB, "SELECT count(*) FROM beta.t")).isEqualTo("1");
    }

    @Test
    void protectIsIdempotentAndGuardsPartitionedTables() throws Exception {
        exec(pg, DB, "CREATE TABLE public.events (tenant_id text, at date, PRIMARY KEY (tenant_id, at)) PARTITION BY RANGE (at)",
                "CREATE TABLE public.events_2024 PARTITION OF public.events FOR VALUES FROM ('2024-01-01') TO ('2025-01-01')");
        TenantScope a = new TenantScope("a", TenancyModel.ROW, "public", null, "tenant_id", TableFilter.ALL);
        try (Connection c = pg.connect(DB)) {
            Fence.installSchema(c);
            Fence.protect(c, new TableId("public", "events"), a);
            Fence.protect(c, new TableId("public", "events"), a);
        }
        assertThat(scalar(pg, DB, "SELECT count(*) FROM pg_trigger WHERE tgrelid = 'public.events'::regclass AND tgname LIKE 'helios%'"))
                .isEqualTo("2");
        assertThatThrownBy(() -> exec(pg, DB, "INSERT INTO public.events VALUES ('a', '2024-05-01')"))
                .hasMessageContaining("tenant \"a\" is read-only on this endpoint (helios fence: replica of r1)");
        exec(pg, DB, "INSERT INTO public.events VALUES ('b', '2024-05-01')");
        assertThatThrownBy(() -> exec(pg, DB, "TRUNCATE public.events")).hasMessageContaining("tenant \"a\"");
    }
}
