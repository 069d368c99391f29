package io.helios.service.security;

import io.helios.security.Caller;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

import java.util.Optional;

/**
 * An authenticated request: the {@link Caller} read from a verified token and, for a token with the
 * {@code worker} role, the worker it names (its credential's worker id). The token itself is not kept.
 */
public final class CallerAuthentication extends AbstractAuthenticationToken {

    /** Request attribute under which an authorized request keeps its {@link Caller} (for the audit trail). */
    public static final String REQUEST_ATTRIBUTE = "helios.caller";

    private final Caller caller;
    private final String workerId;

    public CallerAuthentication(Caller caller) {
        this(caller, null);
    }

    /** @param workerId the worker the credential names, or null when it names none */
    public CallerAuthentication(Caller caller, String workerId) {
        super(caller.roles().stream().map(r -> new SimpleGrantedAuthority("ROLE_" + r.name())).toList());
        this.caller = caller;
        this.workerId = workerId;
        setAuthenticated(true);
    }

    public Caller caller() {
        return caller;
    }

    /** The worker this credential belongs to, read from the verified token; empty when it names none. */
    public Optional<String> workerId() {
        return Optional.ofNullable(workerId);
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
