package io.helios.service.security;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How callers prove who they are, under {@code helios.security}. One of the three JWT key sources
 * must be set. What else a service reads from a verified token (the control plane: the worker it names)
 * it reads with its own {@link CallerAuthenticationConverter}.
 *
 * @param jwt where the keys that sign bearer tokens come from, and what the claims mean
 */
@ConfigurationProperties("helios.security")
public record SecurityProperties(@DefaultValue Jwt jwt) {

    /**
     * @param issuerUri OIDC issuer (for example a Keycloak realm URL): keys from its discovery document,
     *                  and tokens must name it as {@code iss}
     * @param jwkSetUri JWK set URL, when the provider has no discovery document (with {@code issuerUri}, also checks {@code iss})
     * @param publicKey  an RSA public key in PEM form (the local stack; escaped {@code \n} accepted)
     * @param audience   the audience every token must list in {@code aud} (required; the local stack's is {@code helios})
     * @param rolesClaim the claim that holds the roles, or a dotted path to it (Keycloak client roles:
     *                   {@code resource_access.<client-id>.roles}); no other claim grants a role
     */
    public record Jwt(String issuerUri, String jwkSetUri, String publicKey, @DefaultValue("helios") String audience,
                      @DefaultValue("roles") String rolesClaim) {
    }
}
