package io.helios.security;

import java.util.List;

/**
 * The only requests any door answers without a token: GET on health (the whole and the
 * liveness/readiness groups, without details), Prometheus metrics, the OpenAPI documents and
 * Swagger UI. Everything else is governed by the {@link AccessPolicy} or refused. The patterns are
 * Spring path patterns, handed to each door's own request matchers (which match the decoded path
 * the router dispatches on). Each service serves only those of its own that exist.
 */
public final class PublicPaths {

    /** Health and metrics: served by every service, the worker included. */
    public static final List<String> ACTUATOR = List.of(
            "/actuator/health",
            "/actuator/health/liveness",
            "/actuator/health/readiness",
            "/actuator/prometheus");

    /** API documents and Swagger UI (control plane and gateway). */
    public static final List<String> DOCUMENTATION = List.of(
            "/v3/api-docs",
            "/v3/api-docs.yaml",
            "/v3/api-docs/**",
            "/swagger-ui.html",
            "/swagger-ui/**");

    private PublicPaths() {
    }

    /** Everything public on a service that serves an API. */
    public static String[] all() {
        return java.util.stream.Stream.concat(ACTUATOR.stream(), DOCUMENTATION.stream()).toArray(String[]::new);
    }

    /** What is public on a service without an API (the worker). */
    public static String[] actuator() {
        return ACTUATOR.toArray(String[]::new);
    }
}
