package io.helios.security;

import java.util.EnumSet;
import java.util.Set;

/**
 * Who is calling, as read from a verified token: its subject, its roles and the tenants it may
 * reach. Immutable.
 */
public record Caller(String subject, Set<Role> roles, TenantAccess tenants) {

    public Caller {
        roles = roles.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(roles));
    }

    /** Whether any held role is enough for {@code required}. */
    public boolean has(Role required) {
        return roles.stream().anyMatch(r -> r.satisfies(required));
    }
}
