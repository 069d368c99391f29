package io.helios.security.token;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.helios.security.ClaimsReader;
import io.helios.security.Role;
import io.helios.security.WorkerIdClaim;

import java.security.KeyPair;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import java.util.UUID;

/**
 * Mints RS256 bearer tokens with Helios' claims ({@code aud}, {@code exp}, {@code roles}, optional {@code tenants}) from an
 * RSA key pair: the local stack's stand-in for an OIDC provider, and the tests' source of real
 * tokens. Services verify them with the public key ({@code helios.security.jwt.public-key}).
 * Thread-safe.
 */
public final class TokenIssuer {

    /** The {@code iss} of locally minted tokens. */
    public static final String LOCAL_ISSUER = "helios-local";
    /** The {@code aud} of locally minted tokens: the services' default {@code helios.security.jwt.audience}. */
    public static final String DEFAULT_AUDIENCE = "helios";

    private final KeyPair keys;
    private final String keyId;
    private final Clock clock;
    private final String audience;

    public TokenIssuer(KeyPair keys, Clock clock, String audience) {
        this.keys = keys;
        this.clock = clock;
        this.audience = audience;
        this.keyId = "helios-" + Integer.toHexString(keys.getPublic().hashCode());
    }

    public TokenIssuer(KeyPair keys, Clock clock) {
        this(keys, clock, DEFAULT_AUDIENCE);
    }

    public TokenIssuer(KeyPair keys) {
        this(keys, Clock.systemUTC());
    }

    /** The audience this issuer's tokens name, the value of {@code helios.security.jwt.audience}. */
    public String audience() {
        return audience;
    }

    public RSAPublicKey publicKey() {
        return (RSAPublicKey) keys.getPublic();
    }

    /** The public key as PEM, the value of {@code helios.security.jwt.public-key}. */
    public String publicKeyPem() {
        return PemKeys.publicPem(publicKey());
    }

    /**
     * @param subject who the token names ({@code sub})
     * @param roles   roles granted
     * @param tenants tenant ids the token is limited to, or {@code null} for every tenant
     * @param ttl     lifetime from now; a negative one mints an already expired token
     */
    public String mint(String subject, Collection<Role> roles, Collection<String> tenants, Duration ttl) {
        Instant now = clock.instant();
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
                .issuer(LOCAL_ISSUER)
                .subject(subject)
                .jwtID(UUID.randomUUID().toString())
                .issueTime(Date.from(ttl.isNegative() ? now.plus(ttl).minusSeconds(60) : now))
                .expirationTime(Date.from(now.plus(ttl)))
                .audience(audience)
                .claim(ClaimsReader.ROLES, roles.stream().map(Role::claimValue).toList());
        if (tenants != null) {
            claims.claim(ClaimsReader.TENANTS, List.copyOf(tenants));
        }
        return sign(claims.build());
    }

    /**
     * A worker's own credential: subject {@code worker:<id>} (what {@link WorkerIdClaim#DEFAULT} reads),
     * role {@code worker}, no tenant restriction.
     *
     * @throws IllegalArgumentException when {@code workerId} is not a valid worker id
     */
    public String mintWorker(String workerId, Duration ttl) {
        if (!WorkerIdClaim.valid(workerId)) {
            throw new IllegalArgumentException("'" + workerId + "' is not a valid worker id (letters, digits, _ . : -, at most 128)");
        }
        return mint(WorkerIdClaim.DEFAULT.prefix() + workerId, List.of(Role.WORKER), null, ttl);
    }

    /** Signs claims as given, for tests of what the services refuse (no {@code exp}, another {@code aud}, ...). */
    public String sign(JWTClaimsSet claims) {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(keyId).build(), claims);
        try {
            jwt.sign(new RSASSASigner((RSAPrivateKey) keys.getPrivate()));
        } catch (JOSEException e) {
            throw new IllegalStateException("could not sign a token", e);
        }
        return jwt.serialize();
    }
}
