package io.helios.security;

import java.util.Locale;

/**
 * One line of the access table: requests with this method whose path matches the pattern need
 * at least {@code minimum}.
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
        return new AccessRule(method.toUpperCase(Locale.ROOT), PathPattern.of(pattern), minimum, reach);
    }

    public boolean matches(String requestMethod, String requestPath) {
        return (method.equals("*") || method.equalsIgnoreCase(requestMethod)) && path.matches(requestPath);
    }

    @Override
    public String toString() {
        return method + " " + path + " -> " + minimum.claimValue() + (reach == Reach.SYSTEM ? " (all tenants)" : "");
    }
}
