package io.helios.controlplane;

import io.helios.controlplane.RunningControlPlane.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every request type refuses an oversized field or list with a 400 problem naming the field, and a
 * body over {@code helios.api.max-request-body} is refused with 413, declared or streamed.
 */
class RequestBoundsIT {

    private static RunningControlPlane cp;
    private static String source;
    private static String target;

    @BeforeAll
    static void start() {
        cp = RunningControlPlane.start("bounds", Map.of("helios.api.max-request-body", "64KB"), null);
        Fixtures fx = new Fixtures(cp);
        source = fx.endpoint("bounds-src", "bounds_src");
        target = fx.endpoint("bounds-dst", "bounds_dst");
        fx.tenant("bounds");
    }

    @AfterAll
    static void stop() {
        cp.close();
    }

    private static void refused(Response r, String field) {
        assertThat(r.status()).as(r.toString()).isEqualTo(400);
        assertThat(r.contentType()).startsWith("application/problem+json");
        assertThat(r.text("detail")).as(r.toString()).contains(field);
    }

    private static String replication(Object... overrides) {
        Object[] base = {"tenantId", "bounds", "sourceEndpointId", source, "targetEndpointId", target,
                "tenancyModel", "SCHEMA", "sourceSchema", "public"};
        Object[] all = new Object[base.length + overrides.length];
        System.arraycopy(base, 0, all, 0, base.length);
        System.arraycopy(overrides, 0, all, base.length, overrides.length);
        return Json.of(all);
    }

    @Test
    void tenantFieldsAreBounded() {
        refused(cp.post("/api/v1/tenants", Json.of("id", "t".repeat(64), "name", "Long id")), "id");
        refused(cp.post("/api/v1/tenants", Json.of("id", "long-name", "name", "n".repeat(201))), "name");
    }

    @Test
    void endpointFieldsAreBounded() {
        refused(cp.post("/api/v1/endpoints", Json.of("name", "n".repeat(101), "region", "eu",
                "jdbcUrl", "jdbc:postgresql://h/db", "username", "u", "password", "p")), "name");
    }

    @Test
    void qosFieldsAreBounded() {
        refused(cp.post("/api/v1/qos-policies", Json.of("name", "slow", "tier", "STANDARD", "maxLagMs", 86_400_001L,
                "compression", "LOW", "priority", 1)), "maxLagMs");
    }

    @Test
    void replicationFieldsAndListsAreBounded() {
        refused(cp.post("/api/v1/replications", replication("includeTables", Collections.nCopies(65, "t"))),
                "includeTables");
        refused(cp.post("/api/v1/replications", replication("excludeTables", List.of("x".repeat(129)))),
                "excludeTables");
        refused(cp.post("/api/v1/replications", replication("includeTables", List.of("*a".repeat(17)))),
                "includeTables[0]");
        refused(cp.post("/api/v1/replications", replication("lagTargetMs", 1_000_000_000_000L)), "lagTargetMs");
        refused(cp.post("/api/v1/replications", replication("targetSchema", "s".repeat(64))), "targetSchema");
    }

    @Test
    void preflightListsAreBounded() {
        String path = "/api/v1/endpoints/" + UUID.randomUUID() + "/preflight";
        refused(cp.post(path, Json.of("role", "SOURCE", "includeTables", Collections.nCopies(65, "t"))), "includeTables");
        refused(cp.post(path, Json.of("role", "SOURCE", "tenantId", "t".repeat(64))), "tenantId");
    }

    @Test
    void heartbeatFieldsAndReportsAreBounded() {
        String path = "/api/v1/workers/bounds-worker/heartbeat";
        refused(cp.post(path, Json.of("address", "a", "capacity", 1_000_000, "reports", List.of())), "capacity");
        Json.RawJson report = new Json.RawJson(Json.of("replicationId", UUID.randomUUID().toString(), "epoch", 1,
                "phase", "FAILED", "lastAppliedLsn", "0/0", "lagP50Millis", 0, "lagP99Millis", 0, "rowsPerSecond", 0,
                "rowsApplied", 0, "transactionsApplied", 0, "copyRowsDone", 0, "lastError", "e".repeat(16_001)));
        refused(cp.post(path, Json.of("address", "a", "capacity", 1, "reports", List.of(report))), "lastError");
    }

    @Test
    void aBodyDeclaredOverTheCapIs413() {
        Response r = cp.post("/api/v1/tenants", Json.of("id", "big", "name", "n".repeat(70 * 1024)));
        assertThat(r.status()).as(r.toString()).isEqualTo(413);
        assertThat(r.contentType()).startsWith("application/problem+json");
    }

    @Test
    void aStreamedBodyOverTheCapIs413() throws Exception {
        byte[] body = Json.of("id", "big", "name", "n".repeat(70 * 1024)).getBytes(StandardCharsets.UTF_8);
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        // an input stream publisher has no length: the body goes chunked, without Content-Length
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(cp.baseUrl() + "/api/v1/tenants"))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + io.helios.testsupport.TestTokens.admin())
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body)))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(413);
    }
}
