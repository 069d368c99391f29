package io.helios.service.security;

import io.helios.security.AccessPolicy;
import io.helios.security.Decision;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.security.authorization.AuthorizationDecision;
import org.springframework.security.authorization.AuthorizationManager;
import org.springframework.security.authorization.AuthorizationResult;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.access.intercept.RequestAuthorizationContext;

import java.util.function.Supplier;

/**
 * Enforces the shared {@link AccessPolicy} on every {@code /api/} request, judged on the path the
 * handler mappings dispatch on ({@link RoutedPath}), and leaves the caller on the request
 * (attribute {@link #CALLER}) for the audit trail, which runs outside the security context's
 * lifetime. Anything but an authenticated {@link CallerAuthentication} is refused.
 */
final class PolicyAuthorizationManager implements AuthorizationManager<RequestAuthorizationContext> {

    static final String CALLER = CallerAuthentication.REQUEST_ATTRIBUTE;

    private final AccessPolicy policy;

    PolicyAuthorizationManager(AccessPolicy policy) {
        this.policy = policy;
    }

    @Override
    public AuthorizationResult authorize(Supplier<? extends Authentication> authentication, RequestAuthorizationContext context) {
        Authentication auth = authentication.get();
        if (!(auth instanceof CallerAuthentication ca)) {
            return new AuthorizationDecision(false);
        }
        HttpServletRequest request = context.getRequest();
        request.setAttribute(CALLER, ca.caller());
        Decision d = policy.decide(request.getMethod(), RoutedPath.of(request), ca.caller());
        return new Refusal(d.allowed(), d.reason());
    }

    /** A decision that carries the policy's reason, shown in the 403 problem detail. */
    static final class Refusal extends AuthorizationDecision {

        private final String reason;

        Refusal(boolean granted, String reason) {
            super(granted);
            this.reason = reason;
        }

        String reason() {
            return reason;
        }
    }
}
