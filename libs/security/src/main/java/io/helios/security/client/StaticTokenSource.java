package io.helios.security.client;

/** A token configured as it is. Immutable. */
final class StaticTokenSource implements BearerTokenSource {

    private final String token;

    StaticTokenSource(String token) {
        if (token == null || token.isBlank()) {
            throw new CredentialException("the static bearer token is empty", true, null);
        }
        this.token = token.trim();
    }

    @Override
    public String token() {
        return token;
    }

    @Override
    public String describe() {
        return "a static bearer token";
    }

    @Override
    public String toString() {
        return "StaticTokenSource[token=***]";
    }
}
