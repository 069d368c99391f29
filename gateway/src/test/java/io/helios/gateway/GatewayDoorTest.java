package io.helios.gateway;

import io.helios.security.Role;
import io.helios.testsupport.TestTokens;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The gateway alone, in front of a service that is down: tokens and roles are checked at the door,
 * a service that does not answer gives a fast 503 problem detail, and a client over its rate gets
 * 429 with Retry-After.
 */
class GatewayDoorTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static ConfigurableApplicationContext gateway;
    private static String base;
    private static final HttpClient http = HttpClient.newBuilder()
            // HTTP/1.1: the JDK client's default h2c upgrade of a request with a body can leave a
            // reactor-netty server and the client waiting on each other; a hang must fail, not block
            .version(HttpClient.Version.HTTP_1_1).connectTimeout(java.time.Duration.ofSeconds(5)).build();

    @BeforeAll
    static void start() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        gateway = GatewayApplication.builder().run("--server.port=0",
                "--helios.services.control-plane=http://127.0.0.1:" + closed,
                "--helios.security.jwt.public-key=" + TestTokens.publicKeyPem(),
                "--helios.gateway.rate-limit.capacity=5",
                "--helios.gateway.rate-limit.refill-per-second=1");
        base = "http://127.0.0.1:" + ((WebServerApplicationContext) gateway).getWebServer().getPort();
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    private static HttpResponse<String> call(String method, String path, String token) throws Exception {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(base + path)).timeout(java.time.Duration.ofSeconds(30))
                .method(method, HttpRequest.BodyPublishers.ofString(method.equals("GET") ? "" : "{}"))
                .header("Content-Type", "application/json")
                .header("X-Forwarded-For", "10.0.0.1");
        if (token != null) {
            r.header("Authorization", "Bearer " + token);
        }
        return http.send(r.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void refusesMissingExpiredAndForgedTokensWith401() throws Exception {
        for (String token : new String[]{null, TestTokens.expired(Role.ADMIN), TestTokens.forged(Role.ADMIN), "garbage"}) {
            HttpResponse<String> r = call("GET", "/api/v1/tenants", token);
            assertThat(r.statusCode()).isEqualTo(401);
            assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/problem+json"));
            assertThat(r.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
        }
    }

    @Test
    void refusalsAreProblemDocumentsWithTheUsualFields() throws Exception {
        HttpResponse<String> unauthorized = call("GET", "/api/v1/tenants", null);
        assertProblem(unauthorized.body(), 401, "unauthorized", "Unauthorized", "/api/v1/tenants");
        assertThat(JSON.readTree(unauthorized.body()).get("detail").asString())
                .isEqualTo("a bearer token is required (Authorization: Bearer <token>)");
        HttpResponse<String> forbidden = call("GET", "/api/v1/audit", TestTokens.mint("door-shape", Role.VIEWER, null));
        assertProblem(forbidden.body(), 403, "forbidden", "Forbidden", "/api/v1/audit");
        HttpResponse<String> malformed = call("GET", "/api//v1/tenants", null);
        JsonNode node = JSON.readTree(malformed.body());
        assertThat(node.propertyNames()).containsExactlyInAnyOrder("type", "title", "status", "detail");
        assertThat(node.get("type").asString()).isEqualTo("https://helios.io/problems/malformed-path");
    }

    /**
     * The shape every problem answer had before it was written with Jackson: these five fields, nothing
     * else ({@code instance} left out when not known; {@code null} here accepts either).
     */
    private static void assertProblem(String body, int status, String type, String title, String instance) {
        JsonNode node = JSON.readTree(body);
        assertThat(node.propertyNames()).as(body).contains("type", "title", "status", "detail")
                .isSubsetOf("type", "title", "status", "detail", "instance");
        assertThat(node.get("type").asString()).isEqualTo("https://helios.io/problems/" + type);
        assertThat(node.get("title").asString()).isEqualTo(title);
        assertThat(node.get("status").asInt()).isEqualTo(status);
        if (instance != null) {
            assertThat(node.get("instance").asString()).as(body).isEqualTo(instance);
        }
    }

    @Test
    void refusesTokensWithoutTheAudienceOrAnExpiryWith401() throws Exception {
        java.util.Date later = java.util.Date.from(java.time.Instant.now().plusSeconds(300));
        for (String token : new String[]{
                TestTokens.sign(TestTokens.claims("no-aud", Role.ADMIN).expirationTime(later).build()),
                TestTokens.sign(TestTokens.claims("other-aud", Role.ADMIN).audience("billing").expirationTime(later).build()),
                TestTokens.sign(TestTokens.claims("no-exp", Role.ADMIN).audience(TestTokens.audience()).build())}) {
            HttpResponse<String> r = call("GET", "/api/v1/tenants", token);
            assertThat(r.statusCode()).as(token).isEqualTo(401);
            assertThat(r.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).contains("invalid_token"));
        }
    }

    @Test
    void judgesAnEncodedSpellingAsTheRouteItReaches() throws Exception {
        String acmeViewer = TestTokens.mint("door-acme-viewer", Role.VIEWER, java.util.List.of("acme"));
        assertThat(call("GET", "/api/v1/audit", acmeViewer).statusCode()).isEqualTo(403);
        assertThat(call("GET", "/%61pi/v1/audit", acmeViewer).statusCode()).isEqualTo(403);
        assertThat(call("GET", "/%61pi/v1/audit/verify", acmeViewer).statusCode()).isEqualTo(403);
        assertThat(call("GET", "/api/v1/audit/verify", TestTokens.operator()).statusCode()).isEqualTo(403);
        assertThat(call("GET", "/api;x=1/v1/audit", acmeViewer).statusCode()).isIn(400, 403);
        assertThat(call("GET", "/API/v1/audit", TestTokens.admin()).statusCode()).isEqualTo(403);
        assertThat(call("GET", "//api/v1/audit", TestTokens.admin()).statusCode()).isEqualTo(400);
        assertThat(call("GET", "/api/v1/x/../audit", TestTokens.admin()).statusCode()).isEqualTo(400);
        assertThat(call("GET", "/api/v1/%2e%2e/v1/audit", TestTokens.admin()).statusCode()).isEqualTo(400);
    }

    @Test
    void onlyHealthPrometheusAndTheDocumentsAnswerWithoutAToken() throws Exception {
        HttpResponse<String> health = call("GET", "/actuator/health", null);
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).doesNotContain("components", "details");
        for (String open : new String[]{"/actuator/health/liveness", "/actuator/health/readiness", "/actuator/prometheus"}) {
            assertThat(call("GET", open, null).statusCode()).as(open).isEqualTo(200);
        }
        for (String closed : new String[]{"/actuator", "/actuator/gateway/routes", "/actuator/env", "/actuator/metrics",
                "/actuator/info", "/actuator/%65nv", "/fallback/control-plane", "/anything"}) {
            assertThat(call("GET", closed, null).statusCode()).as(closed).isEqualTo(401);
            assertThat(call("GET", closed, TestTokens.admin()).statusCode()).as(closed).isEqualTo(403);
        }
        assertThat(call("POST", "/actuator/gateway/refresh", TestTokens.admin()).statusCode()).isEqualTo(403);
    }

    @Test
    void malformedPathsAre400ProblemsAndLeaveTheClientUsable() throws Exception {
        // this sequence on one keep-alive client used to leave the last request without an answer
        String admin = TestTokens.admin();
        for (int i = 0; i < 10; i++) {
            HttpResponse<String> malformed = call("POST", "/api;x=1/v1/replications", admin);
            assertThat(malformed.statusCode()).isEqualTo(400);
            assertThat(malformed.body()).contains("\"status\":400");
            assertThat(call("GET", "/API/V1/WORKERS", admin).statusCode()).isEqualTo(403);
            assertThat(call("DELETE", "/API/V1/QOS-POLICIES/X", admin).statusCode()).isEqualTo(403);
            assertThat(call("POST", "/api//v1/replications", null).statusCode()).isEqualTo(400);
            assertThat(call("GET", "/api/v1/workers;jsessionid=1", admin).statusCode()).isEqualTo(400);
        }
    }

    @Test
    void refusesAWrongRoleAtTheDoorWith403() throws Exception {
        HttpResponse<String> r = call("POST", "/api/v1/endpoints", TestTokens.mint("door-operator", Role.OPERATOR, null));
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(r.body()).contains("admin role");
    }

    @Test
    void aServiceThatIsDownGivesAFast503ProblemDetail() throws Exception {
        String token = TestTokens.mint("door-viewer", Role.VIEWER, null);
        // the first routed request of a JVM also pays for initializing the HTTP client (about a second here)
        assertThat(call("GET", "/api/v1/qos-policies", token).statusCode()).isEqualTo(503);
        long started = System.nanoTime();
        HttpResponse<String> r = call("GET", "/api/v1/tenants", token);
        long millis = (System.nanoTime() - started) / 1_000_000;
        assertThat(r.statusCode()).isEqualTo(503);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/problem+json"));
        assertThat(r.body()).contains("control-plane");
        // instance: the original path when the gateway knows it (not when the circuit is open)
        assertProblem(r.body(), 503, "service-unavailable", "Service unavailable", null);
        // a bound, not a timing assertion: "fast" means well under any client timeout, not a hang
        assertThat(millis).isLessThan(2_000);
    }

    @Test
    void aClientOverItsRateGets429WithRetryAfter() throws Exception {
        String token = TestTokens.mint("door-greedy", Role.VIEWER, null);
        HttpResponse<String> last = null;
        for (int i = 0; i < 8 && (last == null || last.statusCode() != 429); i++) {
            last = call("GET", "/api/v1/replications", token);
        }
        assertThat(last.statusCode()).isEqualTo(429);
        assertThat(last.headers().firstValue("Retry-After")).hasValueSatisfying(v -> assertThat(Long.parseLong(v)).isPositive());
        assertThat(last.body()).contains("rate limit");
        assertProblem(last.body(), 429, "rate-limited", "Too many requests", "/api/v1/replications");
        // another client is not affected
        assertThat(call("GET", "/api/v1/replications", TestTokens.mint("door-other", Role.VIEWER, null)).statusCode())
                .isNotEqualTo(429);
    }

    @Test
    void servesSwaggerUiListingTheServicesDocumentsWithoutAToken() throws Exception {
        HttpResponse<String> config = call("GET", "/v3/api-docs/swagger-config", null);
        assertThat(config.statusCode()).isEqualTo(200);
        assertThat(config.body()).contains("/v3/api-docs/control-plane");
        assertThat(call("GET", "/swagger-ui/index.html", null).statusCode()).isEqualTo(200);
        assertThat(call("GET", "/actuator/health", null).statusCode()).isEqualTo(200);
    }
}
