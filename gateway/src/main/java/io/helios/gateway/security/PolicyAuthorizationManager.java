package io.helios.gateway.security;

import io.helios.security.AccessPolicy;
import io.helios.security.Decision;
import org.springframework.security.authorization.AuthorizationDecision;
import org.springframework.security.authorization.AuthorizationResult;
import org.springframework.security.authorization.ReactiveAuthorizationManager;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.server.authorization.AuthorizationContext;
import org.springframework.http.server.reactive.ServerHttpRequest;
import reactor.core.publisher.Mono;

/**
 * Enforces the shared {@link AccessPolicy} at the door, before a request is routed, on the path
 * the route predicates match. Anything but an authenticated caller is refused. A refusal's
 * reason is left on the exchange ({@link #REASON}) for the 403 problem detail: the reactive
 * authorization filter does not pass the decision on to the access-denied handler.
 */
final class PolicyAuthorizationManager implements ReactiveAuthorizationManager<AuthorizationContext> {

    static final String REASON = "helios.refusal";

    private final AccessPolicy policy;

    PolicyAuthorizationManager(AccessPolicy policy) {
        this.policy = policy;
    }

    @Override
    public Mono<AuthorizationResult> authorize(Mono<Authentication> authentication, AuthorizationContext context) {
        ServerHttpRequest request = context.getExchange().getRequest();
        return authentication
                .filter(a -> a instanceof CallerAuthentication)
                .map(a -> {
                    // the parsed path the route predicates match (decoded segments, ';' parameters stripped),
                    // never the raw request line: /%61pi/v1/audit is judged as the /api/v1/audit it is routed as
                    Decision d = policy.decide(request.getMethod().name(), request.getPath().pathWithinApplication(),
                            ((CallerAuthentication) a).caller());
                    if (!d.allowed()) {
                        context.getExchange().getAttributes().put(REASON, d.reason());
                    }
                    return (AuthorizationResult) new Refusal(d.allowed(), d.reason());
                })
                .defaultIfEmpty(new AuthorizationDecision(false));
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
