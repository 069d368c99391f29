package io.helios.controlplane.security;

import io.helios.security.Caller;
import io.helios.security.Role;
import io.helios.security.TenantAccess;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.server.resource.authentication.BearerTokenAuthenticationToken;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Set;

/**
 * Accepts the static worker token ({@code helios.security.worker-token}) as the {@code worker}
 * role; any other bearer token is left to the JWT provider (answers {@code null}). The comparison
 * takes constant time.
 */
final class WorkerTokenAuthenticationProvider implements AuthenticationProvider {

    static final String SUBJECT = "service:replicator-worker";

    private final byte[] token;

    WorkerTokenAuthenticationProvider(String token) {
        this.token = token.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public Authentication authenticate(Authentication authentication) {
        String presented = ((BearerTokenAuthenticationToken) authentication).getToken();
        if (!MessageDigest.isEqual(token, presented.getBytes(StandardCharsets.UTF_8))) {
            return null;
        }
        return new CallerAuthentication(new Caller(SUBJECT, Set.of(Role.WORKER), TenantAccess.ALL));
    }

    @Override
    public boolean supports(Class<?> authentication) {
        return BearerTokenAuthenticationToken.class.isAssignableFrom(authentication);
    }
}
