package io.helios.migration.security;

import io.helios.security.Caller;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

/** An authenticated request: the {@link Caller} read from a verified token. The token itself is not kept. */
public final class CallerAuthentication extends AbstractAuthenticationToken {

    /** Request attribute under which an authorized request keeps its {@link Caller} (for the audit trail). */
    public static final String REQUEST_ATTRIBUTE = "helios.caller";

    private final Caller caller;

    public CallerAuthentication(Caller caller) {
        super(caller.roles().stream().map(r -> new SimpleGrantedAuthority("ROLE_" + r.name())).toList());
        this.caller = caller;
        setAuthenticated(true);
    }

    public Caller caller() {
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
