package io.helios.security.token;

import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jwt.SignedJWT;
import io.helios.security.Caller;
import io.helios.security.ClaimsReader;
import io.helios.security.Role;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class TokenIssuerTest {

    @Test
    void mintedTokenVerifiesWithThePemPublicKeyAndCarriesHeliosClaims() throws Exception {
        TokenIssuer issuer = new TokenIssuer(PemKeys.generateRsa());
        String token = issuer.mint("ops", List.of(Role.OPERATOR), List.of("acme"), Duration.ofMinutes(5));
        SignedJWT jwt = SignedJWT.parse(token);
        assertThat(jwt.verify(new RSASSAVerifier(PemKeys.parsePublic(issuer.publicKeyPem())))).isTrue();
        Caller c = ClaimsReader.DEFAULT.read(jwt.getJWTClaimsSet().getSubject(), jwt.getJWTClaimsSet().getClaims());
        assertThat(c.roles()).containsExactly(Role.OPERATOR);
        assertThat(c.tenants().tenants()).isEqualTo(Set.of("acme"));
        assertThat(jwt.getJWTClaimsSet().getIssuer()).isEqualTo(TokenIssuer.LOCAL_ISSUER);
        assertThat(jwt.getJWTClaimsSet().getAudience()).containsExactly(TokenIssuer.DEFAULT_AUDIENCE);
        assertThat(jwt.getJWTClaimsSet().getExpirationTime()).isNotNull();
    }

    @Test
    void localKeyPairIsCreatedOnceAndReused(@TempDir Path dir) {
        KeyPair first = LocalKeyStore.loadOrCreate(dir.resolve("keys"));
        KeyPair again = LocalKeyStore.loadOrCreate(dir.resolve("keys"));
        assertThat(again.getPublic()).isEqualTo(first.getPublic());
        assertThat(dir.resolve("keys/jwt-public-key.pem")).exists();
    }

    @Test
    void escapedNewlinesInAPemFromAnEnvironmentVariableAreAccepted() {
        TokenIssuer issuer = new TokenIssuer(PemKeys.generateRsa());
        String escaped = issuer.publicKeyPem().replace("\n", "\\n");
        assertThat(PemKeys.parsePublic(escaped)).isEqualTo(issuer.publicKey());
    }
}
