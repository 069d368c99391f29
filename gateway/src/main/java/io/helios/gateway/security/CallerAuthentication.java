package io.helios.gateway.security;

import io.helios.security.Caller;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

/** A request whose bearer token was verified: the {@link Caller} its claims describe. */
final class CallerAuthentication extends AbstractAuthenticationToken {

    private final Caller caller;

    CallerAuthentication(Caller caller) {
        super(caller.roles().stream().map(r -> new SimpleGrantedAuthority("ROLE_" + r.name())).toList());
        this.caller = caller;
        setAuthenticated(true);
    }

    Caller caller() {
        return caller;
    }

    @Override
    public Object getCredentials() {
        return "";
    }

    @Override
    public Object getPrincipal() {
        return caller.subject();
    }
}
