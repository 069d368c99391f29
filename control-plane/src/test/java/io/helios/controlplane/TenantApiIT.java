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
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tenant requests that used to answer 500: a declaration without an id (with a restricted token
 * the guard met a null id), and deletes that lose a race after their checks passed (another
 * delete won, or a replication of the tenant appeared). Races are real: a second session holds the
 * conflicting change open until the API's delete waits on it, then commits.
 */
class TenantApiIT {

    private static RunningControlPlane cp;
    private static Fixtures fx;

    @BeforeAll
    static void start() {
        cp = RunningControlPlane.start("tenants", Map.of(), null);
        fx = new Fixtures(cp);
    }

    @AfterAll
    static void stop() {
        cp.close();
    }

    @Test
    void aDeclarationWithoutAnIdIsA400ProblemForEveryToken() {
        String restricted = TestTokens.mint("acme-admin", Role.ADMIN, List.of("acme"));
        for (String token : List.of(restricted, TestTokens.admin())) {
            for (String body : List.of(Json.of("name", "No id"), Json.of("id", "", "name", "Blank id"))) {
                Response r = cp.as(token).post("/api/v1/tenants", body);
                assertThat(r.status()).as(r.toString()).isEqualTo(400);
                assertThat(r.contentType()).startsWith("application/problem+json");
                assertThat(r.text("detail")).startsWith("id:");
            }
        }
        assertThat(cp.as(restricted).post("/api/v1/tenants", Json.of("id", "globex", "name", "G")).status()).isEqualTo(403);
    }

    @Test
    void aDeleteThatAnotherDeleteBeatAnswers404() throws Exception {
        fx.tenant("race-gone");
        try (Connection other = cp.connectOwnDatabase(); Statement s = other.createStatement()) {
            other.setAutoCommit(false);
            s.executeUpdate("DELETE FROM tenant WHERE id = 'race-gone'");
            CompletableFuture<Response> delete = CompletableFuture.supplyAsync(() -> cp.delete("/api/v1/tenants/race-gone"));
            awaitADeleteWaitingOnALock();
            other.commit();
            Response r = delete.get(60, TimeUnit.SECONDS);
            assertThat(r.status()).as(r.toString()).isEqualTo(404);
            assertThat(r.contentType()).startsWith("application/problem+json");
        }
    }

    @Test
    void aDeleteThatAReplicationRacedAnswers409() throws Exception {
        String source = fx.endpoint("race-src", "race_src");
        String target = fx.endpoint("race-dst", "race_dst");
        fx.tenant("race-used");
        try (Connection other = cp.connectOwnDatabase(); Statement s = other.createStatement()) {
            other.setAutoCommit(false);
            s.executeUpdate("INSERT INTO replication (id, tenant_id, source_endpoint_id, target_endpoint_id, tenancy_model,"
                    + " conflict_strategy, state, created_at, updated_at, version) VALUES (gen_random_uuid(), 'race-used', '"
                    + source + "', '" + target + "', 'SCHEMA', 'SOURCE_WINS', 'CREATED', now(), now(), 0)");
            CompletableFuture<Response> delete = CompletableFuture.supplyAsync(() -> cp.delete("/api/v1/tenants/race-used"));
            awaitADeleteWaitingOnALock();
            other.commit();
            Response r = delete.get(60, TimeUnit.SECONDS);
            assertThat(r.status()).as(r.toString()).isEqualTo(409);
            assertThat(r.contentType()).startsWith("application/problem+json");
        }
        assertThat(cp.get("/api/v1/tenants/race-used").status()).isEqualTo(200);
    }

    private static void awaitADeleteWaitingOnALock() {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50)).until(() -> {
            try (Connection c = cp.connectOwnDatabase(); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                         + " AND wait_event_type = 'Lock' AND query ILIKE 'DELETE FROM tenant%'")) {
                rs.next();
                return rs.getInt(1) > 0;
            }
        });
    }
}
