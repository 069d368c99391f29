package io.helios.controlplane;

import io.helios.controlplane.RunningControlPlane.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import io.helios.core.change.TableId;
import io.helios.core.tenant.TableFilter;
import io.helios.core.tenant.TenancyModel;
import io.helios.core.tenant.TenantScope;
import io.helios.postgres.fence.Fence;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Preflight against the real test cluster (superuser, wal_level=logical), with crafted failures in the tables. */
class PreflightIT {

    private static RunningControlPlane cp;
    private static Fixtures fx;
    private static String source;
    private static String target;

    @BeforeAll
    static void start() throws SQLException {
        cp = RunningControlPlane.start("preflight", Map.of(), null);
        fx = new Fixtures(cp);
        source = fx.endpoint("pf-src", "pf_src");
        target = fx.endpoint("pf-tgt", "pf_tgt");
        try (Connection c = RunningControlPlane.cluster().connect("pf_src"); Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA shop");
            s.execute("CREATE TABLE shop.orders (id bigint PRIMARY KEY, total numeric)");
            s.execute("CREATE TABLE shop.audit_log (at timestamptz, line text)"); // no primary key
            s.execute("CREATE TABLE public.invoices (tenant_id text, id bigint, PRIMARY KEY (tenant_id, id))");
            s.execute("CREATE TABLE public.payments (tenant_id text, id bigint PRIMARY KEY)"); // discriminator not in PK
            s.execute("CREATE TABLE public.notes (id bigint PRIMARY KEY, body text)"); // no discriminator at all
            s.execute("CREATE SCHEMA ints");
            s.execute("CREATE TABLE ints.ledger (tenant_id int, id bigint, PRIMARY KEY (tenant_id, id))");
        }
    }

    @AfterAll
    static void stop() {
        cp.close();
    }

    @Test
    void sourceServerChecksPassOnALogicalCluster() {
        JsonNode report = preflight(source, Json.of("role", "SOURCE"));
        assertThat(status(report, "connection")).isEqualTo("OK");
        assertThat(status(report, "wal_level")).isEqualTo("OK");
        assertThat(detail(report, "wal_level")).isEqualTo("wal_level is logical");
        assertThat(status(report, "replication_slots")).isEqualTo("OK");
        assertThat(status(report, "wal_senders")).isEqualTo("OK");
        assertThat(status(report, "replication_privilege")).isEqualTo("OK");
        assertThat(status(report, "create_privilege")).isEqualTo("OK");
        assertThat(detail(report, "server_version")).startsWith("PostgreSQL ");
        assertThat(status(report, "ssl")).isEqualTo("WARN");
        assertThat(report.get("ok").asBoolean()).isTrue();
    }

    @Test
    void targetChecksTheRightToBypassTheFence() {
        JsonNode report = preflight(target, Json.of("role", "TARGET"));
        assertThat(status(report, "session_replication_role")).isEqualTo("OK");
        assertThat(status(report, "wal_level")).isNull();
        assertThat(report.get("ok").asBoolean()).isTrue();
    }

    @Test
    void targetWarnsWhenApplicationRolesCouldLiftTheFence() throws SQLException {
        try (Connection c = RunningControlPlane.cluster().connect("pf_tgt"); Statement s = c.createStatement()) {
            s.execute("DO $r$ BEGIN CREATE ROLE pf_fence_app LOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $r$");
            s.execute("CREATE ROLE pf_fence_root LOGIN SUPERUSER");
            s.execute("CREATE SCHEMA app");
            s.execute("CREATE TABLE app.t (id int PRIMARY KEY)");
            s.execute("ALTER TABLE app.t OWNER TO pf_fence_app");
            Fence.installSchema(c);
            Fence.protect(c, new TableId("app", "t"), new TenantScope("app", TenancyModel.SCHEMA, "app", null, null, TableFilter.ALL));
            try {
                JsonNode report = preflight(target, Json.of("role", "TARGET"));
                assertThat(status(report, "fence_ddl_guard")).isEqualTo("OK");
                assertThat(status(report, "fence_roles")).isEqualTo("WARN");
                assertThat(detail(report, "fence_roles")).contains("superusers pass any fence: pf_fence_root")
                        .contains("own fenced tables (held by the event triggers): pf_fence_app");
                assertThat(report.get("ok").asBoolean()).isTrue();
            } finally {
                s.execute("DROP ROLE pf_fence_root");
            }
        }
    }

    @Test
    void tableWithoutPrimaryKeyFailsTheSchemaTenant() {
        JsonNode report = preflight(source, Json.of("role", "SOURCE", "tenancyModel", "SCHEMA", "sourceSchema", "shop"));
        assertThat(status(report, "tenant_tables")).isEqualTo("OK");
        assertThat(status(report, "replica_identity")).isEqualTo("FAIL");
        assertThat(detail(report, "replica_identity")).contains("shop.audit_log").doesNotContain("shop.orders");
        assertThat(report.get("ok").asBoolean()).isFalse();

        JsonNode filtered = preflight(source, Json.of("role", "SOURCE", "tenancyModel", "SCHEMA", "sourceSchema", "shop",
                "excludeTables", List.of("audit_*")));
        assertThat(status(filtered, "replica_identity")).isEqualTo("OK");
    }

    @Test
    void rowTenantNeedsTheDiscriminatorInTheReplicaIdentity() {
        JsonNode report = preflight(source, Json.of("role", "SOURCE", "tenancyModel", "ROW", "tenantId", "acme",
                "includeTables", List.of("invoices", "payments")));
        assertThat(status(report, "discriminator_column")).isEqualTo("FAIL");
        assertThat(detail(report, "discriminator_column")).contains("public.payments").doesNotContain("invoices");

        JsonNode missing = preflight(source, Json.of("role", "SOURCE", "tenancyModel", "ROW", "includeTables",
                List.of("notes")));
        assertThat(detail(missing, "discriminator_column")).contains("tenant_id missing in: public.notes");
    }

    @Test
    void rowTenantIdMustBeAValueOfTheDiscriminatorType() {
        JsonNode bad = preflight(source, Json.of("role", "SOURCE", "tenancyModel", "ROW", "tenantId", "abc",
                "sourceSchema", "ints"));
        assertThat(status(bad, "discriminator_value")).isEqualTo("FAIL");
        assertThat(detail(bad, "discriminator_value")).isEqualTo("tenant id 'abc' is not a valid integer for column"
                + " tenant_id of table ints.ledger (invalid input syntax for type integer: \"abc\")");
        assertThat(bad.get("ok").asBoolean()).isFalse();

        JsonNode padded = preflight(source, Json.of("role", "SOURCE", "tenancyModel", "ROW", "tenantId", "007",
                "sourceSchema", "ints"));
        assertThat(status(padded, "discriminator_value")).isEqualTo("OK");
        assertThat(detail(padded, "discriminator_value")).contains("compared as the integer 7");

        JsonNode noTenant = preflight(source, Json.of("role", "SOURCE", "tenancyModel", "ROW", "sourceSchema", "ints"));
        assertThat(status(noTenant, "discriminator_value")).isNull();
    }

    @Test
    void replicationPreflightChecksBothEnds() {
        fx.tenant("pf");
        Response created = cp.post("/api/v1/replications", Json.of("tenantId", "pf", "sourceEndpointId", source,
                "targetEndpointId", target, "tenancyModel", "SCHEMA", "sourceSchema", "shop"));
        Response r = cp.get("/api/v1/replications/" + created.text("id") + "/preflight");
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.json().get("ok").asBoolean()).isFalse();
        assertThat(status(r.json().get("source"), "replica_identity")).isEqualTo("FAIL");
        assertThat(r.json().get("target").get("ok").asBoolean()).isTrue();
    }

    private static JsonNode preflight(String endpoint, String body) {
        Response r = cp.post("/api/v1/endpoints/" + endpoint + "/preflight", body);
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return r.json();
    }

    private static String status(JsonNode report, String name) {
        JsonNode check = check(report, name);
        return check == null ? null : check.get("status").asString();
    }

    private static String detail(JsonNode report, String name) {
        return check(report, name).get("detail").asString();
    }

    private static JsonNode check(JsonNode report, String name) {
        for (JsonNode c : report.get("checks")) {
            if (c.get("name").asString().equals(name)) {
                return c;
            }
        }
        return null;
    }
}
