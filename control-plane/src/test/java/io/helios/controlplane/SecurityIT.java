package io.helios.controlplane;

import io.helios.controlplane.RunningControlPlane.Response;
import io.helios.security.Role;
import io.helios.testsupport.TestTokens;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The control plane verifies tokens itself (skipping the gateway gains nothing): 401 and 403 as
 * problem details, the worker credential, tenant-restricted tokens, and the append-only audit trail.
 */
class SecurityIT {

    private static final String SECRET = "audit-must-never-see-this-Pa55";

    private static RunningControlPlane cp;
    private static Fixtures fx;

    @BeforeAll
    static void start() {
        cp = RunningControlPlane.start("security", Map.of(), null);
        fx = new Fixtures(cp);
    }

    @AfterAll
    static void stop() {
        cp.close();
    }

    @Test
    void requestsWithoutAValidTokenAre401ProblemDetails() {
        for (String token : List.of("", "not-a-jwt", TestTokens.expired(Role.ADMIN), TestTokens.forged(Role.ADMIN))) {
            Response r = cp.as(token).get("/api/v1/tenants");
            assertThat(r.status()).as("token %s", token).isEqualTo(401);
            assertThat(r.contentType()).startsWith("application/problem+json");
            assertThat(r.text("title")).isEqualTo("Unauthorized");
            // the shape the hand-written documents had, now written from a ProblemDetail by Jackson
            assertThat(r.json().propertyNames()).containsExactlyInAnyOrder("type", "title", "status", "detail", "instance");
            assertThat(r.text("type")).isEqualTo("https://helios.io/problems/unauthorized");
            assertThat(r.json().get("status").asInt()).isEqualTo(401);
            assertThat(r.text("instance")).isEqualTo("/api/v1/tenants");
        }
        assertThat(cp.as("").get("/actuator/health").status()).isEqualTo(200);
        assertThat(cp.as("").get("/v3/api-docs").status()).isEqualTo(200);
    }

    @Test
    void tokensWithoutTheAudienceOrAnExpiryAre401() {
        java.util.Date later = java.util.Date.from(java.time.Instant.now().plusSeconds(300));
        for (String token : List.of(
                TestTokens.sign(TestTokens.claims("no-aud", Role.ADMIN).expirationTime(later).build()),
                TestTokens.sign(TestTokens.claims("other-aud", Role.ADMIN).audience("billing").expirationTime(later).build()),
                TestTokens.sign(TestTokens.claims("no-exp", Role.ADMIN).audience(TestTokens.audience()).build()))) {
            Response r = cp.as(token).get("/api/v1/tenants");
            assertThat(r.status()).as(r.toString()).isEqualTo(401);
            assertThat(r.contentType()).startsWith("application/problem+json");
        }
        // realm roles are not read unless helios.security.jwt.roles-claim points at them
        String realmAdmin = TestTokens.sign(new com.nimbusds.jwt.JWTClaimsSet.Builder().subject("realm-admin")
                .audience(TestTokens.audience()).expirationTime(later)
                .claim("realm_access", Map.of("roles", List.of("admin"))).build());
        assertThat(cp.as(realmAdmin).get("/api/v1/tenants").status()).isEqualTo(403);
    }

    @Test
    void rolesAreEnforcedWithA403NamingTheMissingRole() {
        assertThat(cp.as(TestTokens.viewer()).get("/api/v1/tenants").status()).isEqualTo(200);
        Response refused = cp.as(TestTokens.operator()).post("/api/v1/tenants", Json.of("id", "nope", "name", "Nope"));
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.contentType()).startsWith("application/problem+json");
        assertThat(refused.text("detail")).contains("admin");
        assertThat(cp.as(TestTokens.noRole()).get("/api/v1/tenants").status()).isEqualTo(403);
    }

    @Test
    void onlyTheWorkerCredentialMayHeartbeatAndItMayDoNothingElse() {
        String beat = "{\"capacity\":0,\"reports\":[]}";
        assertThat(cp.as(TestTokens.worker("sec-w1")).post("/api/v1/workers/sec-w1/heartbeat", beat).status()).isEqualTo(200);
        assertThat(cp.as(TestTokens.worker("sec-w2")).post("/api/v1/workers/sec-w2/heartbeat", beat).status()).isEqualTo(200);
        assertThat(cp.as(TestTokens.admin()).post("/api/v1/workers/sec-w3/heartbeat", beat).status()).isEqualTo(403);
        assertThat(cp.as(TestTokens.worker("sec-w1")).get("/api/v1/tenants").status()).isEqualTo(403);
    }

    @Test
    void tenantRestrictedTokensSeeAndTouchOnlyTheirTenants() {
        String source = fx.endpoint("sec-src", "sec_src");
        String target = fx.endpoint("sec-dst", "sec_dst");
        String unrelated = fx.endpoint("sec-unrelated", "sec_unrelated");
        fx.tenant("sec-mine");
        fx.tenant("sec-theirs");
        String mine = fx.replication("sec-mine", source, target);
        String theirs = fx.replication("sec-theirs", target, source);
        String scoped = TestTokens.mint("scoped-admin", Role.ADMIN, List.of("sec-mine"));
        RunningControlPlane.Client c = cp.as(scoped);

        assertThat(c.get("/api/v1/tenants").body()).contains("sec-mine").doesNotContain("sec-theirs");
        assertThat(c.get("/api/v1/replications").body()).contains(mine).doesNotContain(theirs);
        assertThat(c.get("/api/v1/tenants/sec-theirs").status()).isEqualTo(404);
        assertThat(c.get("/api/v1/tenants/sec-theirs/route").status()).isEqualTo(404);
        assertThat(c.get("/api/v1/replications/" + theirs).status()).isEqualTo(404);
        assertThat(c.get("/api/v1/replications/" + theirs + "/status").status()).isEqualTo(404);
        assertThat(c.post("/api/v1/replications/" + theirs + "/pause", null).status()).isEqualTo(404);
        assertThat(c.delete("/api/v1/replications/" + theirs).status()).isEqualTo(404);
        assertThat(c.delete("/api/v1/tenants/sec-theirs").status()).isEqualTo(404);
        // a missing resource and another tenant's answer the same
        assertThat(c.get("/api/v1/replications/" + theirs).text("detail")).isEqualTo(
                cp.get("/api/v1/replications/00000000-0000-0000-0000-000000000000").text("detail")
                        .replace("00000000-0000-0000-0000-000000000000", theirs));
        assertThat(c.get("/api/v1/replications/" + mine).status()).isEqualTo(200);
        assertThat(c.post("/api/v1/tenants", Json.of("id", "sec-new", "name", "New")).status()).isEqualTo(403);
        assertThat(c.get("/api/v1/endpoints").body()).contains(source, target).doesNotContain(unrelated);
        assertThat(c.get("/api/v1/endpoints/" + unrelated).status()).isEqualTo(404);
        assertThat(c.post("/api/v1/endpoints", Json.of("name", "x")).status()).isEqualTo(403);
        assertThat(c.get("/api/v1/audit").status()).isEqualTo(403);
    }

    @Test
    void mutationsAreAuditedWithoutSecretsAndTheTrailIsAppendOnly() throws Exception {
        String id = fx.endpoint("sec-audited", "sec_audited");
        Response put = cp.put("/api/v1/endpoints/" + id, Json.of("name", "sec-audited", "region", "eu",
                "jdbcUrl", RunningControlPlane.cluster().jdbcUrl("sec_audited"), "username",
                RunningControlPlane.cluster().user(), "password", SECRET));
        assertThat(put.status()).as(put.toString()).isIn(200, 422);
        assertThat(cp.as(TestTokens.viewer()).delete("/api/v1/endpoints/" + id).status()).isEqualTo(403);

        Response page = cp.get("/api/v1/audit?targetId=" + id);
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.body()).contains("\"method\":\"POST\"", "\"method\":\"PUT\"", "\"subject\":\"test-viewer\"",
                "\"status\":403", "\"status\":201", "\"subject\":\"test-admin\"");
        assertThat(cp.as(TestTokens.operator()).get("/api/v1/audit").status()).isEqualTo(403);

        try (Connection c = cp.connectOwnDatabase(); Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT string_agg(audit_event::text, ' ') FROM audit_event")) {
                rs.next();
                assertThat(rs.getString(1)).contains(id).doesNotContain(SECRET);
            }
            assertThatThrownBy(() -> s.executeUpdate("UPDATE audit_event SET subject = 'someone-else'"))
                    .hasMessageContaining("append-only");
            assertThatThrownBy(() -> s.executeUpdate("DELETE FROM audit_event")).hasMessageContaining("append-only");
            assertThatThrownBy(() -> s.executeUpdate("TRUNCATE audit_event")).hasMessageContaining("append-only");
        }
    }
}
