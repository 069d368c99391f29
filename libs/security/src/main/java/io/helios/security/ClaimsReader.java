package io.helios.security;

import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns the claims of a verified token into a {@link Caller}. Roles come from one configured
 * claim only ({@code helios.security.jwt.roles-claim}): a top-level name such as {@code roles}
 * (the default) or a dotted path into nested objects, such as Keycloak's client roles
 * {@code resource_access.helios.roles}. No other claim grants a role, so generic role names that
 * another application of the same issuer hands out (Keycloak's realm roles) grant nothing unless
 * the operator points the setting at them. Unknown role names are ignored. The tenant restriction
 * comes from the {@code tenants} claim: absent means every tenant, present (even empty) means only
 * those listed. Claims may be JSON arrays or comma/space separated strings. Immutable, thread-safe.
 */
public final class ClaimsReader {

    public static final String ROLES = "roles";
    public static final String TENANTS = "tenants";

    /** Roles from the top-level {@code roles} claim (the local stack's tokens). */
    public static final ClaimsReader DEFAULT = new ClaimsReader(ROLES);

    private final List<String> rolesPath;

    /**
     * @param rolesClaim the claim that holds the roles, or a dotted path to it (e.g. {@code resource_access.helios.roles})
     */
    public ClaimsReader(String rolesClaim) {
        if (rolesClaim == null || rolesClaim.isBlank()) {
            throw new IllegalArgumentException("the roles claim must be named (helios.security.jwt.roles-claim)");
        }
        this.rolesPath = List.of(rolesClaim.trim().split("\\."));
        if (rolesPath.stream().anyMatch(String::isBlank)) {
            throw new IllegalArgumentException("not a claim path: '" + rolesClaim + "'");
        }
    }

    public Caller read(String subject, Map<String, Object> claims) {
        Set<Role> roles = EnumSet.noneOf(Role.class);
        strings(at(claims, rolesPath)).forEach(v -> Role.fromClaim(v).ifPresent(roles::add));
        Object tenants = claims.get(TENANTS);
        TenantAccess access = tenants == null ? TenantAccess.ALL : TenantAccess.only(strings(tenants));
        return new Caller(subject == null ? "anonymous" : subject, roles, access);
    }

    /** The claim path as configured, for the start-up log. */
    public String rolesClaim() {
        return String.join(".", rolesPath);
    }

    /** The value at a claim path (null when absent); shared with {@link WorkerIdClaim}. */
    static Object at(Map<String, Object> claims, List<String> path) {
        Object node = claims;
        for (String name : path) {
            if (!(node instanceof Map<?, ?> map)) {
                return null;
            }
            node = map.get(name);
        }
        return node;
    }

    private static List<String> strings(Object value) {
        List<String> out = new ArrayList<>();
        if (value instanceof Collection<?> c) {
            c.stream().filter(v -> v != null).forEach(v -> out.add(v.toString().trim()));
        } else if (value instanceof Object[] array) {
            for (Object v : array) {
                if (v != null) {
                    out.add(v.toString().trim());
                }
            }
        } else if (value instanceof String s) {
            for (String v : s.split("[,\\s]+")) {
                out.add(v.trim());
            }
        }
        out.removeIf(String::isEmpty);
        return out;
    }
}
