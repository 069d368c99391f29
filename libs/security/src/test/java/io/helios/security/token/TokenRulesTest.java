package io.helios.security.token;

import com.nimbusds.jwt.JWTClaimsSet;
import io.helios.security.Role;
import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.jwt.JwtValidationException;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;

import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TokenRulesTest {

    private static final TokenIssuer ISSUER = new TokenIssuer(PemKeys.generateRsa());

    private static NimbusJwtDecoder decoder(String issuer, String audience) {
        NimbusJwtDecoder decoder = NimbusJwtDecoder.withPublicKey(ISSUER.publicKey()).build();
        decoder.setJwtValidator(TokenRules.validator(issuer, audience));
        return decoder;
    }

    private static JWTClaimsSet.Builder claims() {
        return new JWTClaimsSet.Builder().subject("s").claim("roles", List.of("admin"))
                .issuer(TokenIssuer.LOCAL_ISSUER).issueTime(new Date());
    }

    @Test
    void acceptsATokenWithTheAudienceAndAnExpiry() {
        String token = ISSUER.mint("ok", List.of(Role.ADMIN), null, Duration.ofMinutes(5));
        assertThat(decoder(TokenIssuer.LOCAL_ISSUER, "helios").decode(token).getSubject()).isEqualTo("ok");
        String several = ISSUER.sign(claims().audience(List.of("account", "helios"))
                .expirationTime(Date.from(Instant.now().plusSeconds(300))).build());
        assertThat(decoder(null, "helios").decode(several).getAudience()).contains("helios");
    }

    @Test
    void refusesATokenWithoutAudience() {
        String token = ISSUER.sign(claims().expirationTime(Date.from(Instant.now().plusSeconds(300))).build());
        assertThatThrownBy(() -> decoder(null, "helios").decode(token)).isInstanceOf(JwtValidationException.class)
                .hasMessageContaining("aud");
    }

    @Test
    void refusesATokenForAnotherAudience() {
        String token = ISSUER.sign(claims().audience("billing").expirationTime(Date.from(Instant.now().plusSeconds(300)))
                .build());
        assertThatThrownBy(() -> decoder(null, "helios").decode(token)).isInstanceOf(JwtValidationException.class);
        assertThatThrownBy(() -> decoder(null, "billing-admin").decode(ISSUER.mint("x", List.of(Role.ADMIN), null,
                Duration.ofMinutes(5)))).isInstanceOf(JwtValidationException.class);
    }

    @Test
    void refusesATokenWithoutExpiry() {
        String token = ISSUER.sign(claims().audience("helios").build());
        assertThatThrownBy(() -> decoder(null, "helios").decode(token)).isInstanceOf(JwtValidationException.class)
                .hasMessageContaining("exp");
    }

    @Test
    void refusesAnExpiredTokenAndAnotherIssuer() {
        String expired = ISSUER.mint("late", List.of(Role.ADMIN), null, Duration.ofMinutes(-10));
        assertThatThrownBy(() -> decoder(null, "helios").decode(expired)).isInstanceOf(JwtValidationException.class);
        String fresh = ISSUER.mint("ok", List.of(Role.ADMIN), null, Duration.ofMinutes(5));
        assertThatThrownBy(() -> decoder("https://elsewhere", "helios").decode(fresh))
                .isInstanceOf(JwtValidationException.class);
    }

    @Test
    void withoutAnAudienceNoValidatorIsBuilt() {
        assertThatThrownBy(() -> TokenRules.validator(null, " ")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("helios.security.jwt.audience");
    }
}
