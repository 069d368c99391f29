package io.helios.controlplane;

import io.helios.controlplane.RunningControlPlane.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Endpoints, tenants and QoS policies over REST: CRUD, secrecy of passwords, validation problems. */
class EndpointApiIT {

    private static final String SECRET = "s3cr3t-Pa55word-that-must-never-leak";

    private static RunningControlPlane cp;
    private static Fixtures fx;

    @BeforeAll
    static void start() {
        cp = RunningControlPlane.start("endpoint_api", Map.of(), null);
        fx = new Fixtures(cp);
    }

    @AfterAll
    static void stop() {
        cp.close();
    }

    @Test
    void endpointCrudNeverReturnsThePasswordAndStoresItSealed() throws Exception {
        var pg = RunningControlPlane.cluster();
        pg.createDatabase("ep_crud");
        try (Connection c = pg.connect("postgres")) {
            c.createStatement().execute("DROP ROLE IF EXISTS helios_secret_user");
            c.createStatement().execute("CREATE ROLE helios_secret_user LOGIN PASSWORD '" + SECRET + "'");
        }
        Response created = cp.post("/api/v1/endpoints", Json.of("name", "crud", "region", "eu-west-1",
                "jdbcUrl", pg.jdbcUrl("ep_crud"), "username", "helios_secret_user", "password", SECRET));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        assertThat(created.body()).doesNotContain(SECRET).doesNotContain("\"password\"");
        String id = created.text("id");

        assertThat(cp.get("/api/v1/endpoints/" + id).body()).doesNotContain(SECRET).contains("\"hasPassword\":true");
        assertThat(cp.get("/api/v1/endpoints").body()).doesNotContain(SECRET).contains(id);

        try (Connection c = cp.connectOwnDatabase();
             PreparedStatement ps = c.prepareStatement("SELECT sealed_password FROM endpoint WHERE id = ?::uuid")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).isTrue();
                byte[] sealed = rs.getBytes(1);
                assertThat(sealed).isNotEmpty();
                assertThat(new String(sealed, StandardCharsets.ISO_8859_1)).doesNotContain(SECRET);
            }
        }

        Response updated = cp.put("/api/v1/endpoints/" + id, Json.of("name", "crud-renamed", "region", "eu-west-2",
                "jdbcUrl", pg.jdbcUrl("ep_crud"), "username", "helios_secret_user"));
        assertThat(updated.status()).as(updated.toString()).isEqualTo(200);
        assertThat(updated.text("name")).isEqualTo("crud-renamed");

        // the embedded cluster trusts local connections, so a refused login is provoked with a missing database
        Response refused = cp.post("/api/v1/endpoints", Json.of("name", "refused", "region", "eu",
                "jdbcUrl", pg.jdbcUrl("no_such_db"), "username", "helios_secret_user", "password", SECRET));
        assertThat(refused.status()).isEqualTo(422);
        assertThat(refused.text("detail")).contains("no_such_db");
        assertThat(refused.body()).doesNotContain(SECRET);

        assertThat(cp.delete("/api/v1/endpoints/" + id).status()).isEqualTo(204);
        assertThat(cp.get("/api/v1/endpoints/" + id).status()).isEqualTo(404);
    }

    @Test
    void unreachableEndpointIsRefusedWithAProblemAndNothingIsCreated() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        Response r = cp.post("/api/v1/endpoints", Json.of("name", "nowhere", "region", "eu",
                "jdbcUrl", "jdbc:postgresql://127.0.0.1:" + closedPort + "/x", "username", "u", "password", SECRET));
        assertThat(r.status()).isEqualTo(422);
        assertThat(r.contentType()).contains("application/problem+json");
        assertThat(r.text("type")).endsWith("/endpoint-unreachable");
        assertThat(r.text("detail")).contains("127.0.0.1:" + closedPort).doesNotContain(SECRET);
        assertThat(cp.get("/api/v1/endpoints").body()).doesNotContain("nowhere");
    }

    @Test
    void invalidEndpointBodyNamesTheFieldAndNeverEchoesThePassword() {
        Response r = cp.post("/api/v1/endpoints", Json.of("name", "", "region", "eu", "jdbcUrl", "mysql://x",
                "username", "u", "password", SECRET));
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.text("detail")).contains("name:").contains("jdbcUrl: must start with jdbc:postgresql://");
        assertThat(r.body()).doesNotContain(SECRET);
    }

    @Test
    void urlParametersOffTheAllowListAreRefusedByName() {
        var pg = RunningControlPlane.cluster();
        Response r = cp.post("/api/v1/endpoints", Json.of("name", "factory", "region", "eu",
                "jdbcUrl", pg.jdbcUrl("ep_factory") + "?sslmode=disable&socketFactory=org.example.Evil",
                "username", pg.user(), "password", SECRET));
        assertThat(r.status()).as(r.toString()).isEqualTo(400);
        assertThat(r.contentType()).contains("application/problem+json");
        assertThat(r.text("detail")).startsWith("jdbcUrl: parameter socketFactory not allowed")
                .doesNotContain("org.example.Evil");
        assertThat(r.body()).doesNotContain(SECRET);
        assertThat(cp.get("/api/v1/endpoints").body()).doesNotContain("factory");
    }

    @Test
    void movingAnEndpointToAnotherAddressOrUserNeedsThePasswordAgain() throws Exception {
        var pg = RunningControlPlane.cluster();
        pg.createDatabase("ep_move_b");
        String id = fx.endpoint("movable", "ep_move_a");
        Response moved = cp.put("/api/v1/endpoints/" + id, Json.of("name", "movable", "region", "eu",
                "jdbcUrl", pg.jdbcUrl("ep_move_b"), "username", pg.user()));
        assertThat(moved.status()).as(moved.toString()).isEqualTo(400);
        assertThat(moved.text("detail")).isEqualTo("password: password required when the endpoint's address or user changes");
        Response otherUser = cp.put("/api/v1/endpoints/" + id, Json.of("name", "movable", "region", "eu",
                "jdbcUrl", pg.jdbcUrl("ep_move_a"), "username", "someone_else"));
        assertThat(otherUser.status()).as(otherUser.toString()).isEqualTo(400);
        Response same = cp.put("/api/v1/endpoints/" + id, Json.of("name", "movable-renamed", "region", "eu",
                "jdbcUrl", pg.jdbcUrl("ep_move_a") + "?connectTimeout=7", "username", pg.user()));
        assertThat(same.status()).as(same.toString()).isEqualTo(200);
        Response withPassword = cp.put("/api/v1/endpoints/" + id, Json.of("name", "movable", "region", "eu",
                "jdbcUrl", pg.jdbcUrl("ep_move_b"), "username", pg.user(), "password", pg.password()));
        assertThat(withPassword.status()).as(withPassword.toString()).isEqualTo(200);
    }

    @Test
    void duplicateEndpointNameIsAConflict() {
        fx.endpoint("dup", "ep_dup");
        var pg = RunningControlPlane.cluster();
        Response r = cp.post("/api/v1/endpoints", Json.of("name", "dup", "region", "eu",
                "jdbcUrl", pg.jdbcUrl("ep_dup"), "username", pg.user(), "password", pg.password()));
        assertThat(r.status()).isEqualTo(409);
        assertThat(r.text("detail")).contains("name:").contains("dup");
    }

    @Test
    void tenantCrudValidatesTheSlugAndReferences() {
        Response bad = cp.post("/api/v1/tenants", Json.of("id", "no spaces!", "name", "x"));
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.text("detail")).startsWith("id:").contains("no spaces!");

        Response unknown = cp.post("/api/v1/tenants", Json.of("id", "t-unknown", "name", "x",
                "primaryEndpointId", "00000000-0000-0000-0000-000000000001"));
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.text("detail")).startsWith("primaryEndpointId:");
        assertThat(cp.get("/api/v1/tenants/t-unknown").status()).isEqualTo(404);

        fx.tenant("acme");
        assertThat(cp.post("/api/v1/tenants", Json.of("id", "acme", "name", "again")).status()).isEqualTo(409);
        assertThat(cp.get("/api/v1/tenants/acme").text("name")).isEqualTo("Tenant acme");
        String ep = fx.endpoint("tenant-primary", "ep_tenant_primary");
        Response moved = cp.put("/api/v1/tenants/acme", Json.of("name", "ACME", "primaryEndpointId", ep));
        assertThat(moved.json().get("routingEpoch").asLong()).isEqualTo(2);
        assertThat(cp.delete("/api/v1/tenants/acme").status()).isEqualTo(204);
    }

    @Test
    void qosPolicyCrudValidatesRanges() {
        Response bad = cp.post("/api/v1/qos-policies", Json.of("name", "bad", "tier", "GOLD", "maxLagMs", 10,
                "compression", "LOW", "priority", 1));
        assertThat(bad.status()).isEqualTo(400);
        Response range = cp.post("/api/v1/qos-policies", Json.of("name", "range", "tier", "PREMIUM", "maxLagMs", 10,
                "compression", "LOW", "priority", 300));
        assertThat(range.status()).isEqualTo(400);
        assertThat(range.text("detail")).contains("priority:");

        Response ok = cp.post("/api/v1/qos-policies", Json.of("name", "gold", "tier", "PREMIUM", "maxLagMs", 500,
                "compression", "HIGH", "priority", 200));
        assertThat(ok.status()).as(ok.toString()).isEqualTo(201);
        String id = ok.text("id");
        Response changed = cp.put("/api/v1/qos-policies/" + id, Json.of("name", "gold", "tier", "SYNCHRONOUS",
                "maxLagMs", 100, "compression", "MEDIUM", "priority", 255));
        assertThat(changed.text("tier")).isEqualTo("SYNCHRONOUS");
        assertThat(cp.delete("/api/v1/qos-policies/" + id).status()).isEqualTo(204);
    }

    @Test
    void publishesOpenApiAndActuator() {
        Response docs = cp.get("/v3/api-docs");
        assertThat(docs.status()).isEqualTo(200);
        assertThat(docs.body()).contains("/api/v1/replications/{id}/start").contains("ProblemDetail")
                .contains("/api/v1/workers/{workerId}/heartbeat").contains("application/problem+json")
                .contains("Illegal lifecycle transition").doesNotContain("\"sealedPassword\":{\"type\":\"string\",\"format\":\"password\"");
        assertThat(docs.json().get("paths").get("/api/v1/replications/{id}/stop").get("post").get("responses").has("409"))
                .isTrue();
        assertThat(cp.get("/actuator/health").body()).contains("UP");
        assertThat(cp.get("/actuator/prometheus").body()).contains("helios_replications");
        assertThat(cp.get("/swagger-ui.html").status()).isIn(200, 302);
    }
}
