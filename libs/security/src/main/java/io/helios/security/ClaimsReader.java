package io.helios.security;

import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns the claims of a verified token into a {@link Caller}. Roles come from the {@code roles}
 * claim and from Keycloak's {@code realm_access.roles}; unknown role names are ignored. The
 * tenant restriction comes from the {@code tenants} claim: absent means every tenant, present
 * (even empty) means only those listed. Claims may be JSON arrays or comma/space separated strings.
 */
public final class ClaimsReader {

    public static final String ROLES = "roles";
    public static final String TENANTS = "tenants";
    public static final String REALM_ACCESS = "realm_access";

    private ClaimsReader() {
    }

    public static Caller read(String subject, Map<String, Object> claims) {
        Set<Role> roles = EnumSet.noneOf(Role.class);
        strings(claims.get(ROLES)).forEach(v -> Role.fromClaim(v).ifPresent(roles::add));
        if (claims.get(REALM_ACCESS) instanceof Map<?, ?> realm) {
            strings(realm.get(ROLES)).forEach(v -> Role.fromClaim(v).ifPresent(roles::add));
        }
        Object tenants = claims.get(TENANTS);
        TenantAccess access = tenants == null ? TenantAccess.ALL : TenantAccess.only(strings(tenants));
        return new Caller(subject == null ? "anonymous" : subject, roles, access);
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
        } else if (value != null) {
            for (String v : value.toString().split("[,\\s]+")) {
                out.add(v.trim());
            }
        }
        out.removeIf(String::isEmpty);
        return out;
    }
}
