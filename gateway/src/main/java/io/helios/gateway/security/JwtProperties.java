package io.helios.gateway.security;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How bearer tokens are verified ({@code helios.security.jwt}, the same settings the services
 * use): exactly one of an OIDC issuer, a JWK set URL or an RSA public key (PEM) for the keys; the
 * audience every token must carry; the claim the roles are read from.
 *
 * @param audience   the audience every token must list in {@code aud} (required; the local stack's is {@code helios})
 * @param rolesClaim the claim that holds the roles, or a dotted path to it (Keycloak client roles:
 *                   {@code resource_access.<client-id>.roles}); no other claim grants a role
 */
@ConfigurationProperties("helios.security.jwt")
public record JwtProperties(String issuerUri, String jwkSetUri, String publicKey, @DefaultValue("helios") String audience,
                            @DefaultValue("roles") String rolesClaim) {
}
