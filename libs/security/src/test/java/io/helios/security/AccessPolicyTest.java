package io.helios.security;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.EnumSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class AccessPolicyTest {

    private static final AccessPolicy POLICY = AccessPolicy.HELIOS;

    private static Caller caller(String role) {
        return new Caller("t", role.equals("none") ? Set.of() : EnumSet.of(Role.valueOf(role)), TenantAccess.ALL);
    }

    @ParameterizedTest(name = "{0} {1} as {2} -> {3}")
    @CsvSource({
            "GET, /api/v1/replications, VIEWER, true",
            "GET, /api/v1/replications/x/status, VIEWER, true",
            "POST, /api/v1/replications/x/start, VIEWER, false",
            "POST, /api/v1/replications/x/start, OPERATOR, true",
            "POST, /api/v1/replications/x/stop, OPERATOR, true",
            "POST, /api/v1/replications, OPERATOR, false",
            "POST, /api/v1/replications, ADMIN, true",
            "DELETE, /api/v1/replications/x, OPERATOR, false",
            "DELETE, /api/v1/replications/x, ADMIN, true",
            "POST, /api/v1/endpoints, OPERATOR, false",
            "POST, /api/v1/endpoints, ADMIN, true",
            "POST, /api/v1/endpoints/x/preflight, OPERATOR, true",
            "PUT, /api/v1/qos-policies/x, OPERATOR, false",
            "GET, /api/v1/qos-policies, VIEWER, true",
            "POST, /api/v1/workers/w1/heartbeat, ADMIN, false",
            "POST, /api/v1/workers/w1/heartbeat, WORKER, true",
            "GET, /api/v1/replications, WORKER, false",
            "GET, /api/v1/audit, OPERATOR, false",
            "GET, /api/v1/audit, ADMIN, true",
            "GET, /api/v1/audit/verify, VIEWER, false",
            "GET, /api/v1/audit/verify, OPERATOR, false",
            "GET, /api/v1/audit/verify, WORKER, false",
            "GET, /api/v1/audit/verify, none, false",
            "GET, /api/v1/audit/verify, ADMIN, true",
            "POST, /api/v1/audit/verify, ADMIN, false",
            "GET, /api/v1/maintenance/orphans, VIEWER, false",
            "GET, /api/v1/maintenance/orphans, OPERATOR, false",
            "GET, /api/v1/maintenance/orphans, WORKER, false",
            "GET, /api/v1/maintenance/orphans, ADMIN, true",
            "DELETE, /api/v1/maintenance/orphans, ADMIN, false",
            "GET, /api/v1/tenants/acme/route, VIEWER, true",
            "GET, /api/v1/tenants/acme/route, SERVICE, false",
            "POST, /api/v1/internal/tenants/acme/route, SERVICE, true",
            "POST, /api/v1/internal/tenants/acme/route, ADMIN, false",
            "POST, /api/v1/internal/tenants/acme/route, WORKER, false",
            "GET, /api/v1/internal/endpoints/e/connection, SERVICE, true",
            "GET, /api/v1/internal/endpoints/e/connection, ADMIN, false",
            "GET, /api/v1/internal/endpoints/e/connection, WORKER, false",
            "GET, /api/v1/Internal/endpoints/e/connection, SERVICE, false",
            "GET, /api/v1/endpoints/e, SERVICE, false",
            "POST, /api/v1/workers/w1/heartbeat, SERVICE, false",
            "GET, /api/v1/tenants/acme/schemas, VIEWER, true",
            "PUT, /api/v1/tenants/acme/schemas/e/s, OPERATOR, false",
            "PUT, /api/v1/tenants/acme/schemas/e/s, ADMIN, true",
            "DELETE, /api/v1/tenants/acme/schemas/e/s, ADMIN, true",
            "GET, /api/v1/tenants/acme/endpoints, VIEWER, true",
            "PUT, /api/v1/tenants/acme/endpoints/e, OPERATOR, false",
            "PUT, /api/v1/tenants/acme/endpoints/e, ADMIN, true",
            "DELETE, /api/v1/tenants/acme/endpoints/e, ADMIN, true",
            "GET, /api/v1/unknown, ADMIN, false",
            "GET, /api/v1/replications, none, false",
            "POST, /api/v1/migrations, OPERATOR, true",
            "POST, /api/v1/failovers, OPERATOR, false",
            "GET, /actuator/health, ADMIN, false",
            "GET, /actuator/env, ADMIN, false",
            "GET, /v3/api-docs, ADMIN, false"})
    void tableGivesEachOperationItsLeastRole(String method, String path, String role, boolean allowed) {
        assertThat(POLICY.decide(method, path, caller(role)).allowed()).isEqualTo(allowed);
    }

    @Test
    void restrictedTokensReachTenantDataButNotTheSystem() {
        Caller scoped = new Caller("s", Set.of(Role.ADMIN), TenantAccess.only(Set.of("acme")));
        assertThat(POLICY.decide("GET", "/api/v1/replications", scoped).allowed()).isTrue();
        assertThat(POLICY.decide("POST", "/api/v1/tenants", scoped).allowed()).isTrue();
        Decision endpoints = POLICY.decide("POST", "/api/v1/endpoints", scoped);
        assertThat(endpoints.allowed()).isFalse();
        assertThat(endpoints.reason()).contains("all tenants");
        assertThat(POLICY.decide("GET", "/api/v1/audit", scoped).allowed()).isFalse();
        assertThat(POLICY.decide("GET", "/api/v1/audit/verify", scoped).allowed()).isFalse();
        assertThat(POLICY.decide("GET", "/api/v1/maintenance/orphans", scoped).allowed()).isFalse();
        assertThat(POLICY.decide("GET", "/api/v1/workers", scoped).allowed()).isFalse();
        // a restricted admin may claim schemas (on its own endpoints, the service checks) but never grant endpoints
        assertThat(POLICY.decide("PUT", "/api/v1/tenants/acme/schemas/e/s", scoped).allowed()).isTrue();
        assertThat(POLICY.decide("PUT", "/api/v1/tenants/acme/endpoints/e", scoped).reason()).contains("all tenants");
        assertThat(POLICY.decide("DELETE", "/api/v1/tenants/acme/endpoints/e", scoped).allowed()).isFalse();
        // a trailing slash (which no handler serves) must not fall through to the tenant-reach rule
        assertThat(POLICY.decide("PUT", "/api/v1/tenants/acme/endpoints/e/", scoped).allowed()).isFalse();
    }

    @Test
    void refusalNamesTheMissingRole() {
        assertThat(POLICY.decide("DELETE", "/api/v1/tenants/acme", caller("OPERATOR")).reason())
                .contains("admin role");
    }

    @ParameterizedTest(name = "{0} {1} as {2} -> {3}")
    @CsvSource({
            // percent-encoded letters are decoded, as the routers decode them: the rule of the decoded path applies
            "GET, /%61pi/v1/audit, VIEWER, false",
            "GET, /%61pi/v1/audit, ADMIN, true",
            "GET, /api/v1/%61udit, OPERATOR, false",
            "DELETE, /api/v1/endpoint%73/x, OPERATOR, false",
            // ';' parameters are stripped before matching, as the routers strip them
            "GET, /api;x=1/v1/audit, VIEWER, false",
            "GET, /api/v1/audit;jsessionid=1, VIEWER, false",
            // spellings the routers do not dispatch to a route match no rule: refused for everyone
            "GET, /API/v1/audit, ADMIN, false",
            "GET, /api/V1/tenants, ADMIN, false",
            "GET, /api/v1/audit/, ADMIN, false",
            "GET, //api/v1/audit, ADMIN, false",
            "GET, /api//v1/audit, ADMIN, false",
            "GET, /./api/v1/audit, ADMIN, false",
            "GET, /api/v1/x/../audit, ADMIN, false",
            "GET, /%2561pi/v1/audit, ADMIN, false",
            "GET, /api%2Fv1/audit, ADMIN, false",
            "POST, /api/v1/workers/w1/heartbeat/, WORKER, false"})
    void decidesOnTheDecodedPathTheRoutersDispatchOn(String method, String path, String role, boolean allowed) {
        assertThat(POLICY.decide(method, path, caller(role)).allowed()).isEqualTo(allowed);
    }

    @Test
    void patternsMatchWholeSegmentsLikeTheRouters() {
        Caller operator = caller("OPERATOR");
        assertThat(POLICY.decide("POST", "/api/v1/replications/abc/start", operator).allowed()).isTrue();
        assertThat(POLICY.decide("POST", "/api/v1/replications/abc/started", operator).allowed()).isFalse();
        assertThat(POLICY.decide("POST", "/api/v1/replications/start", operator).allowed()).isFalse();
        assertThat(POLICY.decide("GET", "/api/v1/tenants", caller("VIEWER")).allowed()).isTrue();
        assertThat(POLICY.decide("GET", "/api/v1/tenantsx", caller("VIEWER")).allowed()).isFalse();
    }
}
