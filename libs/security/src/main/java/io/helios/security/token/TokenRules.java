package io.helios.security.token;

import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtAudienceValidator;
import org.springframework.security.oauth2.jwt.JwtClaimNames;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.oauth2.jwt.JwtIssuerValidator;
import org.springframework.security.oauth2.jwt.JwtValidators;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What a bearer token must carry, besides a valid signature, at every door (the gateway and each
 * service build their decoders with it, so a token one accepts the others accept): {@code exp}
 * present and not past (with Spring's default clock skew), {@code nbf} not in the future, the
 * configured audience in {@code aud}, and the configured issuer in {@code iss} when one is set.
 * Fails closed: without an audience no validator is built and the service does not start.
 */
public final class TokenRules {

    private TokenRules() {
    }

    /**
     * @param issuer   the issuer tokens must name, or null to accept any issuer the keys sign for
     * @param audience the audience tokens must list in {@code aud} (required)
     */
    public static OAuth2TokenValidator<Jwt> validator(String issuer, String audience) {
        if (audience == null || audience.isBlank()) {
            throw new IllegalStateException("no token audience configured: set helios.security.jwt.audience"
                    + " (HELIOS_JWT_AUDIENCE) to the audience your identity provider puts in the tokens' aud claim");
        }
        List<OAuth2TokenValidator<Jwt>> validators = new ArrayList<>();
        // the default timestamp validator checks exp only when present: a token without one would never expire
        validators.add(new JwtClaimValidator<Object>(JwtClaimNames.EXP, Objects::nonNull));
        validators.add(new JwtAudienceValidator(audience));
        if (issuer != null && !issuer.isBlank()) {
            validators.add(new JwtIssuerValidator(issuer));
        }
        return JwtValidators.createDefaultWithValidators(validators);
    }
}
