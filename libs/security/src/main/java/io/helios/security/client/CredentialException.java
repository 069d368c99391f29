package io.helios.security.client;

/**
 * No bearer token could be had. {@link #permanent()} tells a configuration or identity problem that
 * retrying will not cure (a missing or empty token file, a client the provider does not know) from
 * a passing one (the provider unreachable). Messages name the source, never a token or a secret.
 */
public class CredentialException extends RuntimeException {

    private final boolean permanent;

    public CredentialException(String message, boolean permanent, Throwable cause) {
        super(message, cause);
        this.permanent = permanent;
    }

    public boolean permanent() {
        return permanent;
    }
}
