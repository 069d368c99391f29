package io.helios.security;

import java.util.Collection;
import java.util.Set;
import java.util.TreeSet;

/**
 * The tenants a caller may see and touch: every tenant, or only those listed (from the token's
 * {@code tenants} claim). A restricted caller does not learn that other tenants exist.
 *
 * @param all     whether every tenant is allowed (the claim was absent)
 * @param tenants the allowed tenant ids when {@code all} is false (may be empty: then none)
 */
public record TenantAccess(boolean all, Set<String> tenants) {

    public static final TenantAccess ALL = new TenantAccess(true, Set.of());

    public TenantAccess {
        tenants = all ? Set.of() : Set.copyOf(tenants);
    }

    public static TenantAccess only(Collection<String> tenants) {
        return new TenantAccess(false, Set.copyOf(tenants));
    }

    public boolean allows(String tenantId) {
        // a missing id names no tenant: only an unrestricted caller passes (and the service then refuses the input)
        return all || (tenantId != null && tenants.contains(tenantId));
    }

    public boolean restricted() {
        return !all;
    }

    @Override
    public String toString() {
        return all ? "all tenants" : "tenants " + new TreeSet<>(tenants);
    }
}
