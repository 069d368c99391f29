package io.helios.controlplane;

import io.helios.security.Role;
import io.helios.testsupport.DoorProbe;
import io.helios.testsupport.TestTokens;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;
import tools.jackson.databind.JsonNode;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The control plane decides on the path its handler mappings dispatch on, and fails closed: every
 * route of its OpenAPI document, spelled canonically and in every odd way ({@link DoorProbe}), for
 * each kind of caller, is refused unless the canonical spelling is allowed to that caller; the
 * audit trail records the routed path; among the actuator endpoints only health and Prometheus
 * answer, without a token and without details.
 */
class PathVariantsIT {

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private static RunningControlPlane cp;

    @BeforeAll
    static void start() {
        cp = RunningControlPlane.start("variants", Map.of(), null);
    }

    @AfterAll
    static void stop() {
        cp.close();
    }

    static Map<String, String> callers() {
        Map<String, String> callers = new LinkedHashMap<>();
        callers.put("no token", "");
        callers.put("viewer", TestTokens.viewer());
        callers.put("operator", TestTokens.operator());
        callers.put("admin", TestTokens.admin());
        callers.put("worker token", TestTokens.WORKER_TOKEN);
        callers.put("service", TestTokens.service("path-variants"));
        callers.put("viewer of acme", TestTokens.mint("acme-viewer", Role.VIEWER, List.of("acme")));
        callers.put("admin of acme", TestTokens.mint("acme-admin", Role.ADMIN, List.of("acme")));
        return callers;
    }

    static List<DoorProbe.Route> routes(JsonNode openApi) {
        List<DoorProbe.Route> routes = new ArrayList<>();
        for (Map.Entry<String, JsonNode> path : openApi.get("paths").properties()) {
            for (String method : path.getValue().propertyNames()) {
                routes.add(DoorProbe.Route.of(method, path.getKey()));
            }
        }
        return routes;
    }

    static int send(String base, String method, String path, String token) {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
                .method(method, method.equals("GET") ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString("{}"))
                .header("Content-Type", "application/json");
        if (!token.isEmpty()) {
            r.header("Authorization", "Bearer " + token);
        }
        try {
            return HTTP.send(r.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (Exception e) {
            throw new IllegalStateException(method + " " + path + ": " + e, e);
        }
    }

    @Test
    void everySpellingOfEveryRouteIsRefusedUnlessItsCanonicalPathIsAllowed() {
        List<DoorProbe.Route> routes = routes(cp.as("").get("/v3/api-docs").json());
        assertThat(routes).hasSizeGreaterThan(25);
        List<String> violations = DoorProbe.violations((m, p, t) -> send(cp.baseUrl(), m, p, t), routes, callers());
        assertThat(violations).isEmpty();
    }

    @Test
    void theOpenApiDocumentListsEveryApiRouteTheHandlersServe() {
        Set<String> documented = new TreeSet<>();
        for (Map.Entry<String, JsonNode> path : cp.as("").get("/v3/api-docs").json().get("paths").properties()) {
            path.getValue().propertyNames().forEach(m -> documented.add(m.toUpperCase() + " " + path.getKey()));
        }
        Set<String> served = new TreeSet<>();
        RequestMappingHandlerMapping mapping = cp.bean("requestMappingHandlerMapping",
                RequestMappingHandlerMapping.class);
        mapping.getHandlerMethods().keySet().forEach(info -> info.getPatternValues().stream()
                .filter(p -> p.startsWith("/api/"))
                .forEach(p -> info.getMethodsCondition().getMethods().forEach(m -> served.add(m.name() + " " + p))));
        // the probe above covers what the document lists: a route hidden from it would go untested
        assertThat(documented).containsAll(served);
    }

    @Test
    void anEncodedSpellingOfAnAdminRouteIsJudgedAsTheRouteItReaches() {
        String acmeViewer = TestTokens.mint("acme-viewer", Role.VIEWER, List.of("acme"));
        assertThat(send(cp.baseUrl(), "GET", "/api/v1/audit", acmeViewer)).isEqualTo(403);
        assertThat(send(cp.baseUrl(), "GET", "/%61pi/v1/audit", acmeViewer)).isEqualTo(403);
        assertThat(send(cp.baseUrl(), "GET", "/api/v1/%61udit", TestTokens.operator())).isEqualTo(403);
        assertThat(send(cp.baseUrl(), "GET", "/%61pi/v1/audit", TestTokens.admin())).isEqualTo(200);
    }

    @Test
    void theAuditTrailRecordsTheRoutedPath() {
        String id = java.util.UUID.randomUUID().toString();
        assertThat(send(cp.baseUrl(), "DELETE", "/api/v1/%65ndpoints/" + id, TestTokens.viewer())).isEqualTo(403);
        RunningControlPlane.Response page = cp.get("/api/v1/audit?targetId=" + id);
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.body()).contains("\"path\":\"/api/v1/endpoints/" + id + "\"", "\"status\":403")
                .doesNotContain("%65");
    }

    @Test
    void onlyHealthAndPrometheusAnswerAmongTheActuatorEndpoints() {
        for (String open : List.of("/actuator/health", "/actuator/health/liveness", "/actuator/health/readiness",
                "/actuator/prometheus")) {
            assertThat(send(cp.baseUrl(), "GET", open, "")).as(open).isEqualTo(200);
        }
        assertThat(cp.as("").get("/actuator/health").body()).doesNotContain("components", "details", "db");
        for (String closed : List.of("/actuator", "/actuator/env", "/actuator/beans", "/actuator/configprops",
                "/actuator/metrics", "/actuator/info", "/actuator/loggers", "/actuator/heapdump", "/actuator/threaddump",
                "/actuator/mappings", "/actuator/health/db", "/actuator/%65nv", "/error", "/anything")) {
            assertThat(send(cp.baseUrl(), "GET", closed, "")).as(closed).isEqualTo(401);
            assertThat(send(cp.baseUrl(), "GET", closed, TestTokens.admin())).as(closed).isEqualTo(403);
        }
        assertThat(send(cp.baseUrl(), "POST", "/actuator/health", "")).isEqualTo(401);
    }
}
