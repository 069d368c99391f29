package io.helios.failover;

import io.helios.failover.RunningFailoverService.Response;
import io.helios.security.Role;
import io.helios.testsupport.TestTokens;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Failover policies and maintenance windows over REST: allowed and refused per role and per
 * tenant restriction (the service enforces the shared access policy itself), problem details,
 * and the public actuator and OpenAPI paths.
 */
class PolicyAndWindowApiIT {

    private static RunningFailoverService fo;

    @BeforeAll
    static void start() {
        fo = RunningFailoverService.start("api", Map.of("helios.control-plane.url", "http://127.0.0.1:9",
                "helios.decision.enabled", "false"), null);
    }

    @AfterAll
    static void stop() {
        fo.close();
    }

    @Test
    void onlyHealthPrometheusAndTheDocumentArePublic() {
        assertThat(fo.as("").get("/actuator/health").status()).isEqualTo(200);
        assertThat(fo.as("").get("/actuator/prometheus").status()).isEqualTo(200);
        assertThat(fo.as("").get("/v3/api-docs").status()).isEqualTo(200);
        assertThat(fo.as("").get("/actuator/env").status()).isIn(401, 403, 404);
        Response r = fo.as("").get("/api/v1/failover-policies");
        assertThat(r.status()).isEqualTo(401);
        assertThat(r.contentType()).startsWith("application/problem+json");
        assertThat(fo.as(TestTokens.forged(Role.ADMIN)).get("/api/v1/failovers").status()).isEqualTo(401);
    }

    @Test
    void policiesAreReadByViewersAndWrittenByAdmins() {
        String body = Json.of("name", "roles-policy", "tenantId", "roles", "thresholdMs", 3000);
        assertThat(fo.as(TestTokens.viewer()).post("/api/v1/failover-policies", body).status()).isEqualTo(403);
        Response refused = fo.as(TestTokens.operator()).post("/api/v1/failover-policies", body);
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.text("detail")).contains("admin");
        Response created = fo.as(TestTokens.admin()).post("/api/v1/failover-policies", body);
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        assertThat(created.json().get("thresholdMs").asLong()).isEqualTo(3000);
        assertThat(created.json().get("rpoBoundMs").asLong()).isEqualTo(5000);
        assertThat(created.json().get("enabled").asBoolean()).isTrue();
        String id = created.text("id");
        assertThat(fo.as(TestTokens.viewer()).get("/api/v1/failover-policies/" + id).status()).isEqualTo(200);
        assertThat(fo.as(TestTokens.operator()).delete("/api/v1/failover-policies/" + id).status()).isEqualTo(403);
        Response replaced = fo.put("/api/v1/failover-policies/" + id,
                Json.of("name", "roles-policy", "tenantId", "roles", "enabled", false));
        assertThat(replaced.status()).as(replaced.toString()).isEqualTo(200);
        assertThat(replaced.json().get("enabled").asBoolean()).isFalse();
        assertThat(fo.delete("/api/v1/failover-policies/" + id).status()).isEqualTo(204);
        assertThat(fo.get("/api/v1/failover-policies/" + id).status()).isEqualTo(404);
    }

    @Test
    void invalidPoliciesAreProblemDetails() {
        Response r = fo.post("/api/v1/failover-policies", Json.of("name", "bad", "tenantId", "bad", "thresholdMs", -1));
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.contentType()).startsWith("application/problem+json");
        assertThat(r.text("detail")).contains("thresholdMs");
        assertThat(fo.get("/api/v1/failover-policies/not-a-uuid").status()).isEqualTo(400);
    }

    @Test
    void restrictedTokensSeeAndWriteOnlyTheirTenants() {
        String acmeAdmin = TestTokens.mint("acme-admin", Role.ADMIN, List.of("acme"));
        String acmeViewer = TestTokens.mint("acme-viewer", Role.VIEWER, List.of("acme"));
        Response own = fo.as(acmeAdmin).post("/api/v1/failover-policies", Json.of("name", "acme-p", "tenantId", "acme"));
        assertThat(own.status()).as(own.toString()).isEqualTo(201);
        Response other = fo.as(acmeAdmin).post("/api/v1/failover-policies", Json.of("name", "globex-p", "tenantId", "globex"));
        assertThat(other.status()).isEqualTo(403);
        String globex = fo.post("/api/v1/failover-policies", Json.of("name", "globex-p", "tenantId", "globex")).text("id");
        assertThat(fo.as(acmeViewer).get("/api/v1/failover-policies/" + globex).status()).isEqualTo(404);
        assertThat(fo.as(acmeAdmin).delete("/api/v1/failover-policies/" + globex).status()).isEqualTo(404);
        assertThat(fo.as(acmeViewer).get("/api/v1/failover-policies").body()).contains("acme-p").doesNotContain("globex-p");
        assertThat(fo.as(TestTokens.viewer()).get("/api/v1/failover-policies").body()).contains("acme-p", "globex-p");
    }

    @Test
    void failoversAreReadByViewersAndRequestedByAdminsOfTheTenant() {
        String body = Json.of("tenantId", "acme", "dryRun", true);
        assertThat(fo.as(TestTokens.viewer()).post("/api/v1/failovers", body).status()).isEqualTo(403);
        Response operator = fo.as(TestTokens.operator()).post("/api/v1/failovers", body);
        assertThat(operator.status()).isEqualTo(403);
        assertThat(operator.text("detail")).contains("admin");
        String acmeAdmin = TestTokens.mint("acme-admin", Role.ADMIN, List.of("acme"));
        assertThat(fo.as(acmeAdmin).post("/api/v1/failovers", Json.of("tenantId", "globex", "dryRun", true)).status())
                .isEqualTo(403);
        // allowed, but this service knows no replication of acme (its control plane does not answer here)
        Response nothing = fo.as(acmeAdmin).post("/api/v1/failovers", body);
        assertThat(nothing.status()).as(nothing.toString()).isIn(422, 503);
        assertThat(nothing.contentType()).startsWith("application/problem+json");
        String acmeViewer = TestTokens.mint("acme-viewer", Role.VIEWER, List.of("acme"));
        assertThat(fo.as(acmeViewer).get("/api/v1/failovers").status()).isEqualTo(200);
        assertThat(fo.as(acmeViewer).get("/api/v1/failovers/health").status()).isEqualTo(200);
        String unknown = "/api/v1/failovers/00000000-0000-0000-0000-000000000001";
        assertThat(fo.as(acmeViewer).get(unknown).status()).isEqualTo(404);
        assertThat(fo.as(acmeViewer).get(unknown + "/unreplicated").status()).isEqualTo(404);
        assertThat(fo.as(acmeViewer).post(unknown + "/failback", null).status()).isEqualTo(403);
        assertThat(fo.as(TestTokens.admin()).post(unknown + "/failback", null).status()).isEqualTo(404);
        assertThat(fo.as("").get("/api/v1/failovers/health").status()).isEqualTo(401);
        assertThat(fo.as(TestTokens.admin()).get("/api/v1/failovers?limit=0").status()).isEqualTo(400);
    }

    @Test
    void windowsFollowTheSameRulesAndAGlobalWindowNeedsAnUnrestrictedToken() {
        Instant now = Instant.now();
        String acmeAdmin = TestTokens.mint("acme-admin", Role.ADMIN, List.of("acme"));
        String span = ",\"startsAt\":\"" + now.minusSeconds(60) + "\",\"endsAt\":\"" + now.plusSeconds(3600) + "\"}";
        String own = "{\"tenantId\":\"acme\",\"reason\":\"upgrade\"" + span;
        String global = "{\"reason\":\"region maintenance\"" + span;
        assertThat(fo.as(TestTokens.viewer()).post("/api/v1/maintenance-windows", own).status()).isEqualTo(403);
        assertThat(fo.as(TestTokens.operator()).post("/api/v1/maintenance-windows", own).status()).isEqualTo(403);
        Response created = fo.as(acmeAdmin).post("/api/v1/maintenance-windows", own);
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        assertThat(created.json().get("active").asBoolean()).isTrue();
        assertThat(fo.as(acmeAdmin).post("/api/v1/maintenance-windows",
                own.replace("\"acme\"", "\"globex\"")).status()).isEqualTo(403);
        assertThat(fo.as(acmeAdmin).post("/api/v1/maintenance-windows", global).status()).isEqualTo(403);
        Response g = fo.post("/api/v1/maintenance-windows", global);
        assertThat(g.status()).as(g.toString()).isEqualTo(201);
        assertThat(fo.as(acmeAdmin).delete("/api/v1/maintenance-windows/" + g.text("id")).status()).isEqualTo(403);
        String backwards = "{\"tenantId\":\"acme\",\"reason\":\"x\",\"startsAt\":\"" + now + "\",\"endsAt\":\""
                + now.minusSeconds(1) + "\"}";
        assertThat(fo.post("/api/v1/maintenance-windows", backwards).status()).isEqualTo(400);
        assertThat(fo.as(TestTokens.mint("acme-viewer", Role.VIEWER, List.of("acme"))).get("/api/v1/maintenance-windows")
                .status()).isEqualTo(200);
        assertThat(fo.as(acmeAdmin).delete("/api/v1/maintenance-windows/" + created.text("id")).status()).isEqualTo(204);
        assertThat(fo.delete("/api/v1/maintenance-windows/" + g.text("id")).status()).isEqualTo(204);
    }
}
