package io.helios.gateway.security;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Where the keys that sign bearer tokens come from ({@code helios.security.jwt}, the same keys
 * the services use): exactly one of an OIDC issuer, a JWK set URL or an RSA public key (PEM).
 */
@ConfigurationProperties("helios.security.jwt")
public record JwtProperties(String issuerUri, String jwkSetUri, String publicKey) {
}
