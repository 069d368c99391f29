package io.helios.gateway;

import io.helios.security.Role;
import io.helios.testsupport.TestTokens;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A gateway configured for Keycloak client roles ({@code helios.security.jwt.roles-claim}) and its
 * own audience reads roles from that claim only: top-level {@code roles} and realm roles grant
 * nothing, and a token for the default audience is refused. The service behind is down, so an
 * allowed request answers 503 and a refused one 401/403.
 */
class GatewayRolesClaimTest {

    private static final String AUDIENCE = "helios-api";
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private static ConfigurableApplicationContext gateway;
    private static String base;

    @BeforeAll
    static void start() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        gateway = GatewayApplication.builder().run("--server.port=0",
                "--helios.services.control-plane=http://127.0.0.1:" + closed,
                "--helios.security.jwt.public-key=" + TestTokens.publicKeyPem(),
                "--helios.security.jwt.audience=" + AUDIENCE,
                "--helios.security.jwt.roles-claim=resource_access.helios.roles",
                "--helios.gateway.rate-limit.enabled=false");
        base = "http://127.0.0.1:" + ((WebServerApplicationContext) gateway).getWebServer().getPort();
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    private static int call(String method, String path, String token) throws Exception {
        HttpRequest r = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
                .method(method, HttpRequest.BodyPublishers.ofString(method.equals("GET") ? "" : "{}"))
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + token).build();
        return HTTP.send(r, java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private static String token(Map<String, Object> extra) {
        var claims = TestTokens.claims("kc-user", Role.ADMIN).audience(List.of("account", AUDIENCE))
                .expirationTime(Date.from(Instant.now().plusSeconds(300)));
        extra.forEach(claims::claim);
        return TestTokens.sign(claims.build());
    }

    @Test
    void rolesComeFromTheConfiguredClaimOnly() throws Exception {
        String clientViewer = token(Map.of("resource_access", Map.of("helios", Map.of("roles", List.of("viewer")),
                "other-app", Map.of("roles", List.of("admin"))), "realm_access", Map.of("roles", List.of("admin"))));
        assertThat(call("GET", "/api/v1/tenants", clientViewer)).isEqualTo(503);
        assertThat(call("POST", "/api/v1/endpoints", clientViewer)).isEqualTo(403);
        // the token also carries roles: [admin] at the top level (TestTokens.claims): it grants nothing here
        String topLevelOnly = token(Map.of());
        assertThat(call("GET", "/api/v1/tenants", topLevelOnly)).isEqualTo(403);
    }

    @Test
    void tokensForAnotherAudienceAreRefused() throws Exception {
        String defaultAudience = TestTokens.mint("local", Role.ADMIN, null);
        assertThat(call("GET", "/api/v1/tenants", defaultAudience)).isEqualTo(401);
    }
}
