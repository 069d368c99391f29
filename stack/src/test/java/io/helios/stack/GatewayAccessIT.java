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

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Access through the gateway with real tokens, against a real control plane on real PostgreSQL:
 * every route and role of the access table, allowed or refused both at the gateway and directly at
 * the control plane (skipping the gateway gains nothing); tenant-restricted tokens; expired and
 * forged tokens; the audit trail of mutations, free of secrets.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GatewayAccessIT {

    private static final String SECRET = "gateway-audit-Pa55-never-stored";
    private static final String NONE = "none";

    private final HttpClient http = HttpClient.newBuilder()
            // HTTP/1.1: the JDK client's default h2c upgrade of a request with a body can leave a
            // reactor-netty server and the client waiting on each other; a hang must fail, not block
            .version(HttpClient.Version.HTTP_1_1).connectTimeout(java.time.Duration.ofSeconds(5)).build();
    private PostgresCluster pg;
    private Stack stack;
    private HeliosApi admin;
    private String endpoint;
    private String replication;

    @BeforeAll
    void start() {
        pg = TestClusters.shared();
        pg.createDatabase("gw_control");
        pg.createDatabase("gw_source");
        pg.createDatabase("gw_target");
        stack = Stack.start(new Stack.Options(pg.jdbcUrl("gw_control"), pg.user(), pg.password(), 0, false, 4, Map.of()));
        stack.startGateway(0, "--helios.gateway.rate-limit.enabled=false");
        admin = new HeliosApi(stack.gatewayUrl(), stack.token(Role.ADMIN));
        endpoint = admin.createEndpoint("gw-source", "region-a", pg.jdbcUrl("gw_source"), pg.user(), pg.password());
        String target = admin.createEndpoint("gw-target", "region-b", pg.jdbcUrl("gw_target"), pg.user(), pg.password());
        admin.createTenant("gw-acme", "Acme");
        admin.createTenant("gw-globex", "Globex");
        replication = admin.createReplication(Map.of("tenantId", "gw-acme", "sourceEndpointId", endpoint,
                "targetEndpointId", target, "tenancyModel", "SCHEMA", "sourceSchema", "acme"));
        admin.createReplication(Map.of("tenantId", "gw-globex", "sourceEndpointId", target,
                "targetEndpointId", endpoint, "tenancyModel", "SCHEMA", "sourceSchema", "globex"));
    }

    @AfterAll
    void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    /**
     * Every route of the control plane with the least role that may call it ({@code W}: the worker
     * service role only). Ids: {@code {E}} a real endpoint, {@code {R}} a real replication, {@code {X}}
     * a random id (a write that is allowed answers 404, not 403).
     */
    static final List<String[]> ROUTES = List.of(
            new String[]{"GET", "/api/v1/endpoints", "VIEWER"},
            new String[]{"GET", "/api/v1/endpoints/{E}", "VIEWER"},
            new String[]{"POST", "/api/v1/endpoints", "ADMIN"},
            new String[]{"PUT", "/api/v1/endpoints/{X}", "ADMIN"},
            new String[]{"DELETE", "/api/v1/endpoints/{X}", "ADMIN"},
            new String[]{"POST", "/api/v1/endpoints/{X}/preflight", "OPERATOR"},
            new String[]{"GET", "/api/v1/tenants", "VIEWER"},
            new String[]{"GET", "/api/v1/tenants/gw-acme", "VIEWER"},
            new String[]{"GET", "/api/v1/tenants/gw-acme/route", "VIEWER"},
            new String[]{"POST", "/api/v1/tenants", "ADMIN"},
            new String[]{"PUT", "/api/v1/tenants/gw-missing", "ADMIN"},
            new String[]{"DELETE", "/api/v1/tenants/gw-missing", "ADMIN"},
            new String[]{"GET", "/api/v1/qos-policies", "VIEWER"},
            new String[]{"GET", "/api/v1/qos-policies/{X}", "VIEWER"},
            new String[]{"POST", "/api/v1/qos-policies", "ADMIN"},
            new String[]{"PUT", "/api/v1/qos-policies/{X}", "ADMIN"},
            new String[]{"DELETE", "/api/v1/qos-policies/{X}", "ADMIN"},
            new String[]{"GET", "/api/v1/replications", "VIEWER"},
            new String[]{"GET", "/api/v1/replications/{R}", "VIEWER"},
            new String[]{"GET", "/api/v1/replications/{R}/status", "VIEWER"},
            new String[]{"GET", "/api/v1/replications/{X}/preflight", "VIEWER"},
            new String[]{"POST", "/api/v1/replications", "ADMIN"},
            new String[]{"PUT", "/api/v1/replications/{X}", "ADMIN"},
            new String[]{"DELETE", "/api/v1/replications/{X}", "ADMIN"},
            new String[]{"POST", "/api/v1/replications/{X}/start", "OPERATOR"},
            new String[]{"POST", "/api/v1/replications/{X}/pause", "OPERATOR"},
            new String[]{"POST", "/api/v1/replications/{X}/resume", "OPERATOR"},
            new String[]{"POST", "/api/v1/replications/{X}/stop", "OPERATOR"},
            new String[]{"GET", "/api/v1/workers", "VIEWER"},
            new String[]{"POST", "/api/v1/workers/gw-worker/heartbeat", "WORKER"},
            new String[]{"GET", "/api/v1/audit", "ADMIN"},
            new String[]{"GET", "/api/v1/audit/verify", "ADMIN"},
            new String[]{"GET", "/api/v1/maintenance/orphans", "ADMIN"});

    Stream<Arguments> routesByRole() {
        List<Arguments> cases = new ArrayList<>();
        for (String[] route : ROUTES) {
            Role least = Role.valueOf(route[2]);
            for (String role : List.of("ADMIN", "OPERATOR", "VIEWER", "WORKER", NONE)) {
                boolean allowed = !role.equals(NONE) && Role.valueOf(role).satisfies(least);
                cases.add(Arguments.of(route[0], route[1], role, allowed));
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} {1} as {2}: allowed={3}")
    @MethodSource("routesByRole")
    void eachRoleIsAllowedOrRefusedAtTheGatewayAndAtTheService(String method, String route, String role, boolean allowed) {
        String path = route.replace("{E}", endpoint).replace("{R}", replication).replace("{X}", UUID.randomUUID().toString());
        String token = role.equals(NONE) ? stack.issuer().mint("nobody", List.of(), null, java.time.Duration.ofMinutes(5))
                : role.equals("WORKER") ? stack.workerToken("gw-worker") : stack.token(Role.valueOf(role));
        for (String base : List.of(stack.gatewayUrl(), stack.controlPlaneUrl())) {
            HttpResponse<String> r = send(base, method, path, token);
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
    void everySpellingOfEveryRouteIsRefusedAtTheGatewayUnlessItsCanonicalPathIsAllowed() {
        HttpResponse<String> doc = send(stack.gatewayUrl(), "GET", "/v3/api-docs/control-plane", "");
        assertThat(doc.statusCode()).isEqualTo(200);
        List<DoorProbe.Route> routes = new ArrayList<>();
        tools.jackson.databind.JsonNode paths = tools.jackson.databind.json.JsonMapper.builder().build()
                .readTree(doc.body()).get("paths");
        for (Map.Entry<String, tools.jackson.databind.JsonNode> path : paths.properties()) {
            path.getValue().propertyNames().forEach(m -> routes.add(DoorProbe.Route.of(m, path.getKey())));
        }
        assertThat(routes).hasSizeGreaterThan(25);
        Map<String, String> callers = new java.util.LinkedHashMap<>();
        callers.put("no token", "");
        for (Role role : List.of(Role.VIEWER, Role.OPERATOR, Role.ADMIN)) {
            callers.put(role.claimValue(), stack.token(role));
        }
        callers.put("worker", stack.workerToken("gw-worker"));
        callers.put("viewer of gw-acme", stack.issuer().mint("acme-viewer", List.of(Role.VIEWER), List.of("gw-acme"),
                java.time.Duration.ofMinutes(30)));
        callers.put("admin of gw-acme", stack.issuer().mint("acme-admin", List.of(Role.ADMIN), List.of("gw-acme"),
                java.time.Duration.ofMinutes(30)));
        List<String> violations = DoorProbe.violations(
                (m, p, t) -> send(stack.gatewayUrl(), m, p, t).statusCode(), routes, callers);
        assertThat(violations).isEmpty();
    }

    @Test
    void generatedClientDrivesTheSuiteThroughTheGateway() throws Exception {
        io.helios.client.ApiClient client = new io.helios.client.ApiClient();
        client.updateBaseUri(stack.gatewayUrl());
        String token = stack.issuer().mint("client-viewer", List.of(Role.VIEWER), List.of("gw-acme"),
                java.time.Duration.ofMinutes(5));
        client.setRequestInterceptor(b -> b.header("Authorization", "Bearer " + token));
        io.helios.client.model.ListPageTenantView tenants = new io.helios.client.api.TenantsApi(client).listTenant(null, null);
        assertThat(tenants.getItems()).extracting(io.helios.client.model.TenantView::getId).containsExactly("gw-acme");
        assertThat(tenants.getNext()).isNull();
        io.helios.client.model.ReplicationView r = new io.helios.client.api.ReplicationsApi(client)
                .getReplication(UUID.fromString(replication));
        assertThat(r.getTenantId()).isEqualTo("gw-acme");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new io.helios.client.api.ReplicationsApi(client)
                        .pauseReplication(UUID.fromString(replication)))
                .isInstanceOfSatisfying(io.helios.client.ApiException.class, e -> assertThat(e.getCode()).isEqualTo(403));
    }

    @Test
    void expiredForgedAndMissingTokensAre401AtTheGatewayAndAtTheService() {
        var stranger = new io.helios.security.token.TokenIssuer(io.helios.security.token.PemKeys.generateRsa());
        List<String> bad = List.of("",
                stack.issuer().mint("late", List.of(Role.ADMIN), null, java.time.Duration.ofMinutes(-10)),
                stranger.mint("forger", List.of(Role.ADMIN), null, java.time.Duration.ofMinutes(5)));
        for (String token : bad) {
            for (String base : List.of(stack.gatewayUrl(), stack.controlPlaneUrl())) {
                HttpResponse<String> r = send(base, "GET", "/api/v1/replications", token);
                assertThat(r.statusCode()).as("via %s", base).isEqualTo(401);
                assertThat(r.body()).contains("\"status\":401");
            }
        }
    }

    @Test
    void tenantRestrictedTokenSeesOnlyItsTenantsThroughTheGateway() {
        String scoped = stack.issuer().mint("acme-operator", List.of(Role.OPERATOR), List.of("gw-acme"),
                java.time.Duration.ofMinutes(5));
        HeliosApi api = new HeliosApi(stack.gatewayUrl(), scoped);
        assertThat(api.list("/tenants")).extracting(t -> t.get("id")).containsExactly("gw-acme");
        assertThat(api.list("/replications")).extracting(r -> r.get("tenantId")).containsOnly("gw-acme");
        assertThat(send(stack.gatewayUrl(), "GET", "/api/v1/tenants/gw-globex", scoped).statusCode()).isEqualTo(404);
        assertThat(send(stack.gatewayUrl(), "GET", "/api/v1/tenants/gw-globex/route", scoped).statusCode()).isEqualTo(404);
    }

    @Test
    void mutationsThroughTheGatewayAreAuditedWithoutSecrets() throws Exception {
        pg.createDatabase("gw_audited");
        String id = admin.createEndpoint("gw-audited", "region-c", pg.jdbcUrl("gw_audited"), pg.user(), SECRET);
        HttpResponse<String> refused = send(stack.gatewayUrl(), "DELETE", "/api/v1/endpoints/" + id,
                stack.token(Role.OPERATOR));
        assertThat(refused.statusCode()).isEqualTo(403);
        admin.delete("/endpoints/" + id);

        Map<String, Object> page = admin.get("/audit?targetId=" + id);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> items = (List<Map<String, Object>>) page.get("items");
        assertThat(items).extracting(e -> e.get("method") + " " + e.get("status") + " " + e.get("subject"))
                .contains("POST 201 local-admin", "DELETE 204 local-admin");
        assertThat(page.toString()).doesNotContain(SECRET);
        try (Connection c = pg.connect("gw_control"); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT string_agg(audit_event::text, ' ') FROM audit_event")) {
            rs.next();
            assertThat(rs.getString(1)).contains(id).doesNotContain(SECRET);
        }
    }

    private HttpResponse<String> send(String base, String method, String path, String token) {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(base + path)).timeout(java.time.Duration.ofSeconds(30))
                .method(method, method.equals("GET") ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(path.endsWith("/heartbeat") ? "{\"capacity\":0}" : "{}"))
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
