package io.helios.migration;

import io.helios.security.Role;
import io.helios.testsupport.TestTokens;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The API's edge, with real tokens and the real database: who may call what (viewer reads, operator
 * runs, restricted tokens only for their tenants), validation of the request with RFC 9457 answers,
 * paging, and a control plane that does not answer turning into 503, never a migration.
 */
class MigrationApiIT {

    private static RunningMigrationService service;
    private static final String VALID = """
            {"tenantId":"acme","targetEndpointId":"%s","cutover":"AUTO"}""".formatted(UUID.randomUUID());

    @BeforeAll
    static void start() {
        service = RunningMigrationService.start("api");
    }

    @AfterAll
    static void stop() {
        service.close();
    }

    @Test
    void withoutATokenEverythingButHealthIsRefused() {
        assertThat(service.get("/api/v1/migrations", null).status()).isEqualTo(401);
        assertThat(service.get("/api/v1/migrations", null).contentType()).startsWith("application/problem+json");
        assertThat(service.get("/actuator/health", null).status()).isEqualTo(200);
        assertThat(service.get("/actuator/prometheus", null).status()).isEqualTo(200);
        assertThat(service.get("/actuator/env", null).status()).isIn(401, 403, 404);
        assertThat(service.get("/api/v1/migrations", TestTokens.expired(Role.ADMIN)).status()).isEqualTo(401);
        assertThat(service.get("/api/v1/migrations", TestTokens.forged(Role.ADMIN)).status()).isEqualTo(401);
    }

    @Test
    void viewersReadOperatorsRun() {
        assertThat(service.get("/api/v1/migrations", TestTokens.viewer()).status()).isEqualTo(200);
        RunningMigrationService.Response refused = service.post("/api/v1/migrations", VALID, TestTokens.viewer());
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.json().get("detail").asString()).contains("operator");
        assertThat(service.post("/api/v1/migrations/" + UUID.randomUUID() + "/abort", null, TestTokens.viewer()).status())
                .isEqualTo(403);
        assertThat(service.get("/api/v1/migrations", TestTokens.noRole()).status()).isEqualTo(403);
        assertThat(service.get("/api/v1/migrations", TestTokens.worker()).status()).isIn(401, 403);
    }

    @Test
    void restrictedTokensCreateOnlyForTheirTenants() {
        String other = TestTokens.mint("op-globex", Role.OPERATOR, List.of("globex"));
        RunningMigrationService.Response r = service.post("/api/v1/migrations", VALID, other);
        assertThat(r.status()).isEqualTo(403);
        assertThat(r.json().get("detail").asString()).contains("acme");
    }

    @Test
    void requestsAreValidatedAtTheEdge() {
        String operator = TestTokens.operator();
        RunningMigrationService.Response missing = service.post("/api/v1/migrations", "{\"tenantId\":\"acme\"}", operator);
        assertThat(missing.status()).isEqualTo(400);
        assertThat(missing.contentType()).startsWith("application/problem+json");
        assertThat(missing.json().get("detail").asString()).contains("targetEndpointId").contains("cutover");
        RunningMigrationService.Response badMode = service.post("/api/v1/migrations", """
                {"tenantId":"acme","targetEndpointId":"%s","cutover":"SOMETIMES"}""".formatted(UUID.randomUUID()), operator);
        assertThat(badMode.status()).isEqualTo(400);
        RunningMigrationService.Response pause = service.post("/api/v1/migrations", """
                {"tenantId":"acme","targetEndpointId":"%s","cutover":"AUTO","maxWritePauseMs":0,"targetSchema":"a;b"}"""
                .formatted(UUID.randomUUID()), operator);
        assertThat(pause.status()).isEqualTo(400);
        assertThat(pause.json().get("detail").asString()).contains("maxWritePauseMs").contains("targetSchema");
        assertThat(service.get("/api/v1/migrations?limit=0", operator).status()).isEqualTo(400);
        assertThat(service.get("/api/v1/migrations?cursor=not-a-cursor!", operator).status()).isEqualTo(400);
        assertThat(service.get("/api/v1/migrations/not-a-uuid", operator).status()).isEqualTo(400);
    }

    @Test
    void unknownMigrationsAreNotFound() {
        RunningMigrationService.Response r = service.get("/api/v1/migrations/" + UUID.randomUUID(), TestTokens.viewer());
        assertThat(r.status()).isEqualTo(404);
        assertThat(r.json().get("type").asString()).endsWith("/not-found");
        assertThat(service.post("/api/v1/migrations/" + UUID.randomUUID() + "/cutover", null, TestTokens.operator())
                .status()).isEqualTo(404);
    }

    @Test
    void aControlPlaneThatDoesNotAnswerIsA503NotAMigration() {
        RunningMigrationService.Response r = service.post("/api/v1/migrations", VALID, TestTokens.operator());
        assertThat(r.status()).isEqualTo(503);
        assertThat(r.json().get("type").asString()).endsWith("/control-plane-unavailable");
        assertThat(service.get("/api/v1/migrations", TestTokens.admin()).json().get("items")).isEmpty();
    }
}
