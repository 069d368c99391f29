package io.helios.security.token;

import java.security.interfaces.RSAPublicKey;

/**
 * Where a service finds the keys that verify bearer tokens, chosen from its three settings the
 * same way by every service (the gateway and the control plane must accept the same tokens): a
 * PEM public key (the local stack) first, then a JWK set URI, then an OIDC issuer's discovery.
 * Whatever is chosen, tokens must carry the issuer when one is configured.
 */
public sealed interface JwtKeySource {

    /** The configured issuer, which tokens must name, or null. */
    String issuer();

    /** For the start-up log: how tokens are verified. */
    String describe();

    record PublicKey(RSAPublicKey key, String issuer) implements JwtKeySource {
        public String describe() {
            return "bearer tokens verified with the configured RSA public key";
        }
    }

    record JwkSet(String uri, String issuer) implements JwtKeySource {
        public String describe() {
            return "bearer tokens verified with the JWK set at " + uri;
        }
    }

    record Issuer(String issuer) implements JwtKeySource {
        public String describe() {
            return "bearer tokens verified with the keys of issuer " + issuer;
        }
    }

    /**
     * The source the settings name; blank settings count as absent.
     *
     * @throws IllegalStateException naming the settings to set, when none is
     */
    static JwtKeySource of(String issuerUri, String jwkSetUri, String publicKeyPem) {
        String issuer = present(issuerUri) ? issuerUri : null;
        if (present(publicKeyPem)) {
            return new PublicKey(PemKeys.parsePublic(publicKeyPem), issuer);
        }
        if (present(jwkSetUri)) {
            return new JwkSet(jwkSetUri, issuer);
        }
        if (issuer != null) {
            return new Issuer(issuer);
        }
        throw new IllegalStateException("no key to verify bearer tokens: set helios.security.jwt.issuer-uri"
                + " (HELIOS_JWT_ISSUER_URI), helios.security.jwt.jwk-set-uri (HELIOS_JWT_JWK_SET_URI) or"
                + " helios.security.jwt.public-key (HELIOS_JWT_PUBLIC_KEY, PEM)");
    }

    private static boolean present(String s) {
        return s != null && !s.isBlank();
    }
}
