package io.helios.stack;

import io.helios.security.Role;
import io.helios.testsupport.DoorProbe;
import io.helios.testsupport.PostgresCluster;
import io.helios.testsupport.TestClusters;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The migration service's routes through the gateway and directly, with real tokens: every route
 * and role allowed or refused the same way at both doors, tenant-restricted tokens confined to their
 * tenants' migrations, and every odd spelling of every route refused unless its canonical path is
 * allowed. A real control plane; no worker (the migration made here stays in COPYING).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MigrationAccessIT {

    private static final String NONE = "none";
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private Stack stack;
    private String target;
    private String migration;

    @BeforeAll
    void start() {
        PostgresCluster pg = TestClusters.shared();
        for (String db : List.of("ma_control", "ma_service", "ma_a", "ma_b")) {
            pg.createDatabase(db);
        }
        stack = Stack.start(new Stack.Options(pg.jdbcUrl("ma_control"), pg.user(), pg.password(), 0, false, 4, Map.of()));
        stack.startMigrationService(0, pg.jdbcUrl("ma_service"));
        stack.startGateway(0, "--helios.gateway.rate-limit.enabled=false");
        HeliosApi admin = stack.api();
        String source = admin.createEndpoint("ma-a", "region-a", pg.jdbcUrl("ma_a"), pg.user(), pg.password());
        target = admin.createEndpoint("ma-b", "region-b", pg.jdbcUrl("ma_b"), pg.user(), pg.password());
        admin.post("/tenants", Map.of("id", "ma-acme", "name", "Acme", "primaryEndpointId", source));
        admin.post("/tenants", Map.of("id", "ma-globex", "name", "Globex", "primaryEndpointId", source));
        HttpResponse<String> created = send(stack.migrationServiceUrl(), "POST", "/api/v1/migrations",
                stack.token(Role.OPERATOR), body("ma-acme"));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        migration = JSON.readTree(created.body()).get("id").asString();
    }

    @AfterAll
    void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    private String body(String tenant) {
        return "{\"tenantId\":\"" + tenant + "\",\"targetEndpointId\":\"" + target + "\",\"cutover\":\"MANUAL\","
                + "\"tenancyModel\":\"SCHEMA\",\"sourceSchema\":\"app\"}";
    }

    /** Every route with the least role that may call it; {@code {M}} a real migration, {@code {X}} a random id. */
    static final List<String[]> ROUTES = List.of(
            new String[]{"GET", "/api/v1/migrations", "VIEWER"},
            new String[]{"GET", "/api/v1/migrations/{M}", "VIEWER"},
            new String[]{"POST", "/api/v1/migrations", "OPERATOR"},
            new String[]{"POST", "/api/v1/migrations/{X}/cutover", "OPERATOR"},
            new String[]{"POST", "/api/v1/migrations/{X}/abort", "OPERATOR"},
            new String[]{"POST", "/api/v1/migrations/{X}/rollback", "OPERATOR"},
            new String[]{"POST", "/api/v1/migrations/{X}/complete", "OPERATOR"});

    Stream<Arguments> routesByRole() {
        List<Arguments> cases = new ArrayList<>();
        for (String[] route : ROUTES) {
            Role least = Role.valueOf(route[2]);
            for (String role : List.of("ADMIN", "OPERATOR", "VIEWER", "WORKER", "SERVICE", NONE)) {
                boolean allowed = !role.equals(NONE) && Role.valueOf(role).satisfies(least);
                cases.add(Arguments.of(route[0], route[1], role, allowed));
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} {1} as {2}: allowed={3}")
    @MethodSource("routesByRole")
    void eachRoleIsAllowedOrRefusedAtTheGatewayAndAtTheService(String method, String route, String role, boolean allowed) {
        String path = route.replace("{M}", migration).replace("{X}", UUID.randomUUID().toString());
        String token = role.equals(NONE) ? stack.issuer().mint("nobody", List.of(), null, Duration.ofMinutes(5))
                : stack.token(Role.valueOf(role));
        // a create that is allowed is refused further on (a migration of ma-globex to an unknown endpoint: 404)
        String body = "{\"tenantId\":\"ma-globex\",\"targetEndpointId\":\"" + UUID.randomUUID() + "\",\"cutover\":\"AUTO\"}";
        for (String base : List.of(stack.gatewayUrl(), stack.migrationServiceUrl())) {
            HttpResponse<String> r = send(base, method, path, token, body);
            if (allowed) {
                assertThat(r.statusCode()).as("%s %s as %s via %s: %s", method, path, role, base, r.body())
                        .isNotIn(401, 403).isLessThan(500);
            } else {
                assertThat(r.statusCode()).as("%s %s as %s via %s: %s", method, path, role, base, r.body()).isEqualTo(403);
                assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
            }
        }
    }

    @Test
    void restrictedTokensSeeAndRunOnlyTheirTenantsMigrations() {
        String globexOperator = stack.issuer().mint("globex-op", List.of(Role.OPERATOR), List.of("ma-globex"),
                Duration.ofMinutes(30));
        String acmeViewer = stack.issuer().mint("acme-viewer", List.of(Role.VIEWER), List.of("ma-acme"),
                Duration.ofMinutes(30));
        for (String base : List.of(stack.gatewayUrl(), stack.migrationServiceUrl())) {
            JsonNode listed = JSON.readTree(send(base, "GET", "/api/v1/migrations", globexOperator, "").body());
            assertThat(listed.get("items")).isEmpty();
            assertThat(send(base, "GET", "/api/v1/migrations/" + migration, globexOperator, "").statusCode()).isEqualTo(404);
            assertThat(send(base, "POST", "/api/v1/migrations/" + migration + "/abort", globexOperator, "").statusCode())
                    .isEqualTo(404);
            HttpResponse<String> create = send(base, "POST", "/api/v1/migrations", globexOperator, body("ma-acme"));
            assertThat(create.statusCode()).as(create.body()).isEqualTo(403);
            // its own tenant, but onto an endpoint ma-globex neither owns, was granted, nor replicates to
            HttpResponse<String> foreign = send(base, "POST", "/api/v1/migrations", globexOperator, body("ma-globex"));
            assertThat(foreign.statusCode()).as(foreign.body()).isEqualTo(403);
            assertThat(foreign.body()).contains("neither owned by");
            assertThat(JSON.readTree(send(base, "GET", "/api/v1/migrations", acmeViewer, "").body()).get("items"))
                    .hasSize(1);
            assertThat(send(base, "GET", "/api/v1/migrations/" + migration, acmeViewer, "").statusCode()).isEqualTo(200);
            assertThat(send(base, "POST", "/api/v1/migrations/" + migration + "/abort", acmeViewer, "").statusCode())
                    .isEqualTo(403);
        }
        // one migration per tenant at a time
        HttpResponse<String> second = send(stack.gatewayUrl(), "POST", "/api/v1/migrations", stack.token(Role.OPERATOR),
                body("ma-acme"));
        assertThat(second.statusCode()).as(second.body()).isEqualTo(409);
    }

    @Test
    void everySpellingOfEveryRouteIsRefusedAtTheGatewayUnlessItsCanonicalPathIsAllowed() {
        HttpResponse<String> doc = send(stack.gatewayUrl(), "GET", "/v3/api-docs/migration-service", "", "");
        assertThat(doc.statusCode()).isEqualTo(200);
        List<DoorProbe.Route> routes = new ArrayList<>();
        for (Map.Entry<String, JsonNode> path : JSON.readTree(doc.body()).get("paths").properties()) {
            path.getValue().propertyNames().forEach(m -> routes.add(DoorProbe.Route.of(m, path.getKey())));
        }
        assertThat(routes).hasSize(7);
        Map<String, String> callers = new LinkedHashMap<>();
        callers.put("no token", "");
        for (Role role : List.of(Role.VIEWER, Role.OPERATOR, Role.ADMIN, Role.WORKER, Role.SERVICE)) {
            callers.put(role.claimValue(), stack.token(role));
        }
        callers.put("viewer of ma-acme", stack.issuer().mint("acme-viewer", List.of(Role.VIEWER), List.of("ma-acme"),
                Duration.ofMinutes(30)));
        callers.put("operator of ma-acme", stack.issuer().mint("acme-op", List.of(Role.OPERATOR), List.of("ma-acme"),
                Duration.ofMinutes(30)));
        assertThat(DoorProbe.violations((m, p, t) -> send(stack.gatewayUrl(), m, p, t, "{}").statusCode(), routes, callers))
                .isEmpty();
    }

    private HttpResponse<String> send(String base, String method, String path, String token, String body) {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
                .method(method, method.equals("GET") ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body.isEmpty() ? "{}" : body))
                .header("Content-Type", "application/json");
        if (!token.isEmpty()) {
            r.header("Authorization", "Bearer " + token);
        }
        try {
            return http.send(r.build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(method + " " + base + path + ": " + e, e);
        }
    }
}
