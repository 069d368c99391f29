package io.helios.security.client;

import java.nio.file.Path;

/**
 * Where a service gets the bearer token it shows another Helios service (the worker to the control
 * plane; later migration-service and failover-service): a static token, a token file that is read
 * again when it changes (a rotated Kubernetes Secret), or an OAuth2 client-credentials grant
 * ({@link ClientCredentialsTokenSource}, which needs {@code spring-boot-starter-oauth2-client} on the
 * classpath). Implementations are thread-safe, and never log nor show a token: {@code toString} and
 * {@link #describe()} say where tokens come from, not what they are.
 */
public interface BearerTokenSource {

    /**
     * The token to send now, obtained or read again when the one held has expired or changed.
     *
     * @throws CredentialException when no token can be had
     */
    String token();

    /**
     * The receiving service refused {@code token} (401): forget it, so that the next {@link #token()}
     * obtains a new one (a grant) or reads the file again. A no-op for a static token.
     */
    default void rejected(String token) {
    }

    /** Where the tokens come from, for logs and error messages (never the token). */
    String describe();

    /** A token given as it is (for instance from an environment variable). */
    static BearerTokenSource fixed(String token) {
        return new StaticTokenSource(token);
    }

    /** A token read from {@code file}, and read again whenever the file changes. */
    static BearerTokenSource file(Path file) {
        return new FileTokenSource(file);
    }
}
