package io.helios.service.security;

import io.helios.security.Caller;
import io.helios.security.TenantAccess;
import org.springframework.http.HttpStatus;
import io.helios.service.web.ApiException;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Component;

import java.util.function.Supplier;

/**
 * The tenant restriction of the current request's token, for the controllers: a restricted
 * caller sees only its tenants in lists, and another tenant's resource answers exactly what a
 * missing one answers (404), so that it cannot learn that the resource exists. Code that runs
 * outside a request (no authentication) is not restricted. Reads a thread-bound context:
 * call it on the request thread.
 */
@Component
public class TenantGuard {

    /** The current caller's tenant access; every tenant outside an authenticated request. */
    public TenantAccess access() {
        Authentication auth = SecurityContextHolder.getContext().getAuthentication();
        return auth instanceof CallerAuthentication ca ? ca.caller().tenants() : TenantAccess.ALL;
    }

    public boolean visible(String tenantId) {
        return access().allows(tenantId);
    }

    /** Throws what a missing resource throws when the tenant is not the caller's. */
    public void require(String tenantId, Supplier<ApiException> notFound) {
        if (!visible(tenantId)) {
            throw notFound.get();
        }
    }

    /** For creating a tenant-owned resource: a restricted caller may create only within its tenants. */
    public void requireForCreation(String tenantId) {
        if (!visible(tenantId)) {
            throw new ApiException(HttpStatus.FORBIDDEN, "forbidden", "Forbidden",
                    "your token is limited to " + access() + "; it cannot create resources of tenant '" + tenantId + "'");
        }
    }

    /** The caller of the current request, when there is one. */
    public static java.util.Optional<Caller> current() {
        Authentication auth = SecurityContextHolder.getContext().getAuthentication();
        return auth instanceof CallerAuthentication ca ? java.util.Optional.of(ca.caller()) : java.util.Optional.empty();
    }
}
