package io.helios.service.security;

import io.helios.security.Caller;
import org.springframework.security.oauth2.jwt.Jwt;

/**
 * Turns the {@link Caller} read from a verified token into the request's {@link CallerAuthentication}: the
 * one place a service reads more from the token than its roles and tenants (the control plane: the worker
 * a {@code worker} token names). A service that needs it declares one as a bean; without one, the caller
 * alone is kept ({@link #CALLER_ONLY}).
 */
@FunctionalInterface
public interface CallerAuthenticationConverter {

    /** The caller, and nothing else from the token. */
    CallerAuthenticationConverter CALLER_ONLY = (caller, token) -> new CallerAuthentication(caller);

    /**
     * @param caller the caller read from the verified token's roles and tenants claims
     * @param token  the verified token (not kept)
     */
    CallerAuthentication convert(Caller caller, Jwt token);
}
