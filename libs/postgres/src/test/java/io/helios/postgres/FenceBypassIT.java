package io.helios.postgres;

import io.helios.core.change.TableId;
import io.helios.core.tenant.TableFilter;
import io.helios.core.tenant.TenancyModel;
import io.helios.core.tenant.TenantScope;
import io.helios.postgres.fence.Fence;
import io.helios.postgres.fence.FenceAudit;
import io.helios.testsupport.PostgresCluster;
import io.helios.testsupport.TestClusters;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

import static io.helios.postgres.Sql.exec;
import static io.helios.postgres.Sql.scalar;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The fence holds against the application it fences, logged in as a real role that is not a
 * superuser and that owns the fenced tables: it can neither lift the triggers nor change the
 * tables or the fence, and it still writes its own tenants' rows on shared tables without any
 * privilege on schema {@code helios}. The applier (a superuser or a member of helios_applier)
 * still applies and changes the schema.
 */
class FenceBypassIT {

    private static final String DB = "fence_bypass_it";
    private static final String APP = "fencesec_app";
    private static final String APPLIER = "fencesec_applier";
    private static PostgresCluster pg;

    @BeforeAll
    static void setUp() throws Exception {
        pg = TestClusters.shared();
        pg.createDatabase(DB);
        exec(pg, DB, role(APP), role(APPLIER),
                "CREATE TABLE public.shared (tenant_id text, id int, v text, PRIMARY KEY (tenant_id, id))",
                "CREATE TABLE public.ledger (tenant_id int, id int, PRIMARY KEY (tenant_id, id))",
                "CREATE SCHEMA kinds", "CREATE TYPE kinds.tier AS ENUM ('gold', 'silver')",
                "CREATE TABLE public.tiered (tier kinds.tier, id int, PRIMARY KEY (tier, id))",
                "CREATE SCHEMA acme", "CREATE TABLE acme.orders (id int PRIMARY KEY, v text)",
                "CREATE SCHEMA beta", "CREATE TABLE beta.t (id int PRIMARY KEY)",
                "INSERT INTO public.shared VALUES ('a', 1, 'x'), ('b', 1, 'y')", "INSERT INTO acme.orders VALUES (1, 'x')",
                "ALTER TABLE acme.orders OWNER TO " + APP, "ALTER TABLE beta.t OWNER TO " + APP,
                "ALTER TABLE public.ledger OWNER TO " + APP,
                "GRANT USAGE, CREATE ON SCHEMA acme, beta TO " + APP,
                "GRANT SELECT, INSERT, UPDATE, DELETE ON public.shared, public.tiered TO " + APP,
                "GRANT USAGE ON SCHEMA kinds TO " + APP);
        try (Connection c = pg.connect(DB)) {
            Fence.installSchema(c);
            Fence.protect(c, new TableId("public", "shared"), row("a", "public"));
            Fence.protect(c, new TableId("public", "shared"), row("b", "public"));
            Fence.protect(c, new TableId("public", "ledger"), row("7", "public"));
            Fence.protect(c, new TableId("public", "ledger"), row("8", "public"));
            Fence.protect(c, new TableId("public", "tiered"), new TenantScope("gold", TenancyModel.ROW, "public", null, "tier",
                    TableFilter.ALL));
            Fence.protect(c, new TableId("acme", "orders"), schema("acme"));
            Fence.protect(c, new TableId("beta", "t"), schema("beta"));
            Fence.fence(c, "a", "replica of r1");
            Fence.fence(c, "7", "replica of r3");
            Fence.fence(c, "acme", "replica of r2");
        }
        exec(pg, DB, "GRANT helios_applier TO " + APPLIER, "GRANT USAGE, CREATE ON SCHEMA acme TO " + APPLIER,
                "GRANT SET ON PARAMETER session_replication_role TO " + APPLIER, "GRANT INSERT ON acme.orders TO " + APPLIER);
    }

    @Test
    void theFenceIsOwnedByANonLoginRoleAndRunsWithItsRights() {
        assertThat(scalar(pg, DB, "SELECT string_agg(DISTINCT p.proowner::regrole::text || ' ' || p.prosecdef || ' '"
                + " || array_to_string(p.proconfig, ','), '|') FROM pg_proc p WHERE p.pronamespace = 'helios'::regnamespace"
                + " AND p.proname LIKE 'fence%'")).isEqualTo("helios_fence_owner true search_path=pg_catalog, pg_temp");
        assertThat(scalar(pg, DB, "SELECT relowner::regrole::text FROM pg_class WHERE oid = 'helios.tenant_fence'::regclass"))
                .isEqualTo("helios_fence_owner");
        assertThat(scalar(pg, DB, "SELECT rolcanlogin::text FROM pg_roles WHERE rolname = 'helios_fence_owner'")).isEqualTo("false");
        assertThat(scalar(pg, DB, "SELECT has_schema_privilege('" + APP + "', 'helios', 'USAGE')::text")).isEqualTo("false");
        assertThat(scalar(pg, DB, "SELECT count(*) FROM pg_event_trigger WHERE evtname LIKE 'helios_fence%'")).isEqualTo("2");
    }

    @Test
    void ownerCannotDisableTheTriggers() {
        for (String sql : new String[] {"ALTER TABLE acme.orders DISABLE TRIGGER helios_fence_row",
                "ALTER TABLE acme.orders DISABLE TRIGGER ALL", "ALTER TABLE beta.t DISABLE TRIGGER USER",
                "ALTER TABLE beta.t ENABLE ALWAYS TRIGGER helios_fence_row", "ALTER TABLE public.ledger DISABLE TRIGGER helios_fence_row",
                "ALTER TRIGGER helios_fence_row ON beta.t RENAME TO harmless"}) {
            assertThatThrownBy(() -> asApp(sql)).as(sql).hasMessageContaining("helios fence").hasMessageContaining(APP);
        }
        assertThat(scalar(pg, DB, "SELECT count(*) FROM pg_trigger WHERE tgname LIKE 'helios_fence%' AND tgenabled <> 'O'")).isEqualTo("0");
    }

    @Test
    void ownerCannotDropTheTriggersNorTheTables() {
        for (String sql : new String[] {"DROP TRIGGER helios_fence_row ON acme.orders", "DROP TRIGGER helios_fence_truncate ON beta.t",
                "DROP TRIGGER helios_fence_row ON public.ledger", "DROP TABLE beta.t", "DROP TABLE acme.orders"}) {
            assertThatThrownBy(() -> asApp(sql)).as(sql).hasMessageContaining("helios fence");
        }
        assertThat(scalar(pg, DB, "SELECT count(*) FROM pg_trigger WHERE tgname LIKE 'helios_fence%' AND NOT tgisinternal"
                + " AND tgrelid IN ('acme.orders'::regclass, 'beta.t'::regclass, 'public.ledger'::regclass)")).isEqualTo("6");
    }

    @Test
    void ddlInAFencedSchemaIsRefusedAndAllowedOnceUnfenced() throws SQLException {
        for (String sql : new String[] {"CREATE TABLE acme.sneaky (id int)", "ALTER TABLE acme.orders ADD COLUMN x int",
                "ALTER TABLE acme.orders RENAME TO o2", "CREATE INDEX ON acme.orders (v)", "ALTER TABLE public.ledger ADD COLUMN x int",
                "CREATE VIEW acme.v AS SELECT 1 AS one"}) {
            assertThatThrownBy(() -> asApp(sql)).as(sql).hasMessageContaining("is fenced on this endpoint");
        }
        assertThat(scalar(pg, DB, "SELECT to_regclass('acme.sneaky')")).isNull();
        asApp("ALTER TABLE beta.t ADD COLUMN note text"); // beta is protected but not fenced: the app's own primary
        asApp("CREATE TABLE beta.extra (id int)");
    }

    @Test
    void appWritesItsOwnTenantsOnASharedRowTableWithoutAnyGrantOnHelios() {
        assertThatCode(() -> asApp("INSERT INTO public.shared VALUES ('b', 2, 'mine')",
                "UPDATE public.shared SET v = 'upd' WHERE tenant_id = 'b'", "DELETE FROM public.shared WHERE tenant_id = 'b' AND id = 2",
                "INSERT INTO public.ledger VALUES (8, 1), (9, 1)", "INSERT INTO public.tiered VALUES ('silver', 1)", "UPDATE public.ledger SET id = 2 WHERE tenant_id = 8"))
                .doesNotThrowAnyException();
        assertThat(scalar(pg, DB, "SELECT v FROM public.shared WHERE tenant_id = 'b' AND id = 1")).isEqualTo("upd");
    }

    @Test
    void appWritingAFencedTenantsRowsGetsTheFenceError() {
        assertThatThrownBy(() -> asApp("INSERT INTO public.shared VALUES ('a', 9, 'z')"))
                .hasMessageContaining("tenant \"a\" is read-only on this endpoint (helios fence: replica of r1)")
                .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("25006"));
        exec(pg, DB, "SET session_replication_role = replica; INSERT INTO public.ledger VALUES (7, 1) ON CONFLICT DO NOTHING");
        assertThatThrownBy(() -> asApp("UPDATE public.ledger SET id = 5 WHERE tenant_id = 7"))
                .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("25006"));
        assertThatThrownBy(() -> asApp("DELETE FROM public.ledger WHERE tenant_id = 7")).hasMessageContaining("tenant \"7\"");
        assertThatThrownBy(() -> asApp("UPDATE acme.orders SET v = 'no'")).hasMessageContaining("tenant \"acme\"");
    }

    @Test
    void appCannotTouchTheFenceItself() {
        for (String sql : new String[] {"DELETE FROM helios.tenant_fence", "INSERT INTO helios.tenant_fence VALUES ('x', 'y')",
                "CREATE OR REPLACE FUNCTION helios.fence_guard() RETURNS trigger LANGUAGE sql AS 'SELECT NULL'",
                "SET session_replication_role = replica", "CREATE TABLE helios.mine (id int)"}) {
            assertThatThrownBy(() -> asApp(sql)).as(sql).hasMessageContaining("permission denied");
        }
        assertThat(scalar(pg, DB, "SELECT count(*) FROM helios.tenant_fence")).isEqualTo("3");
    }

    @Test
    void theApplierStillAppliesAndChangesTheSchema() throws SQLException {
        exec(pg, DB, "SET session_replication_role = replica", "INSERT INTO acme.orders VALUES (50, 'replicated')",
                "ALTER TABLE acme.orders ADD COLUMN IF NOT EXISTS synced int", "CREATE TABLE IF NOT EXISTS acme.synced (id int)",
                "INSERT INTO public.shared VALUES ('a', 50, 'replicated')");
        try (Connection c = DriverManager.getConnection(pg.jdbcUrl(DB), APPLIER, "applier")) {
            Fence.fence(c, "zeta", "test");
            assertThat(Fence.isFenced(c, "zeta")).isTrue();
            Fence.unfence(c, "zeta");
            try (Statement s = c.createStatement()) {
                s.execute("CREATE TABLE acme.by_applier (id int)"); // a member of helios_applier: schema sync passes
                s.execute("SET session_replication_role = replica");
                s.execute("INSERT INTO acme.orders VALUES (51, 'applied by a non-superuser')");
                s.execute("CREATE TABLE acme.in_replica_mode (id int)");
            }
        }
        assertThat(scalar(pg, DB, "SELECT v FROM acme.orders WHERE id = 50")).isEqualTo("replicated");
    }

    @Test
    void auditNamesTheRolesThatWeakenTheFence() throws SQLException {
        try (Connection c = pg.connect(DB)) {
            FenceAudit audit = FenceAudit.of(c);
            assertThat(audit.ddlGuard()).isTrue();
            assertThat(audit.canInstall()).isTrue();
            assertThat(audit.tableOwners()).containsExactly(APP);
        }
        try (Connection c = DriverManager.getConnection(pg.jdbcUrl(DB), APPLIER, "applier")) {
            assertThat(FenceAudit.of(c).canInstall()).isFalse();
            assertThat(FenceAudit.of(c).applier()).isTrue();
        }
        try (Connection c = DriverManager.getConnection(pg.jdbcUrl(DB), APP, "app")) {
            assertThat(FenceAudit.of(c).applier()).isFalse();
        }
    }

    private static void asApp(String... sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(pg.jdbcUrl(DB), APP, "app"); Statement s = c.createStatement()) {
            for (String q : sql) {
                s.execute(q);
            }
        }
    }

    private static String role(String name) {
        String password = name.substring(name.indexOf('_') + 1);
        return "DO $r$ BEGIN CREATE ROLE " + name + " LOGIN PASSWORD '" + password + "'; EXCEPTION WHEN duplicate_object THEN NULL; END $r$";
    }

    private static TenantScope row(String tenant, String schema) {
        return new TenantScope(tenant, TenancyModel.ROW, schema, null, "tenant_id", TableFilter.ALL);
    }

    private static TenantScope schema(String tenant) {
        return new TenantScope(tenant, TenancyModel.SCHEMA, tenant, null, null, TableFilter.ALL);
    }
}
