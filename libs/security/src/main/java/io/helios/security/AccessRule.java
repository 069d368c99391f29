package io.helios.security;

import org.springframework.http.server.PathContainer;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;

import java.util.Locale;

/**
 * One line of the access table: requests with this method whose path matches the pattern need
 * at least {@code minimum}. Patterns are Spring's {@link PathPattern}s from the default parser,
 * the one Spring MVC and WebFlux (and Spring Cloud Gateway's {@code Path} predicate) route with:
 * case-sensitive, no optional trailing slash, matched segment by segment on decoded values with
 * {@code ;} parameters stripped. So a rule judges exactly the request the router will dispatch.
 *
 * @param method  HTTP method in upper case, or {@code *} for any
 * @param path    the path pattern
 * @param minimum the least role that may call it
 * @param reach   whether a token limited to some tenants may call it at all
 */
public record AccessRule(String method, PathPattern path, Role minimum, Reach reach) {

    /** Whether a tenant-restricted token may use an operation. */
    public enum Reach {
        /**
         * Tenant data, or shared data every caller may read: restricted tokens are allowed, and the
         * service answers only what their tenants may see (others' resources answer 404).
         */
        TENANTS,
        /** Shared configuration or the whole system (endpoints' credentials, QoS, workers, audit): unrestricted tokens only. */
        SYSTEM
    }

    public static AccessRule of(String method, String pattern, Role minimum, Reach reach) {
        return new AccessRule(method.toUpperCase(Locale.ROOT), parse(pattern), minimum, reach);
    }

    /** Parses a pattern as the routers do. */
    static PathPattern parse(String pattern) {
        return PathPatternParser.defaultInstance.parse(pattern);
    }

    public boolean matches(String requestMethod, PathContainer requestPath) {
        return (method.equals("*") || method.equals(requestMethod)) && path.matches(requestPath);
    }

    @Override
    public String toString() {
        return method + " " + path.getPatternString() + " -> " + minimum.claimValue()
                + (reach == Reach.SYSTEM ? " (all tenants)" : "");
    }
}
