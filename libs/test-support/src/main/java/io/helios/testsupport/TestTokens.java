package io.helios.testsupport;

import io.helios.security.Role;
import io.helios.security.token.PemKeys;
import io.helios.security.token.TokenIssuer;

import java.time.Duration;
import java.util.Collection;
import java.util.List;

/**
 * Real RS256 bearer tokens for tests, from one key pair per JVM: configure a service with
 * {@link #publicKeyPem()} ({@code helios.security.jwt.public-key}) and {@link #WORKER_TOKEN}
 * ({@code helios.security.worker-token}), then call it with {@link #admin()} and friends.
 * {@link #forged} signs with a key the services do not trust. Thread-safe.
 */
public final class TestTokens {

    /** The static worker credential the test services accept. */
    public static final String WORKER_TOKEN = "test-worker-token-" + Long.toHexString(System.nanoTime());

    private static final TokenIssuer ISSUER = new TokenIssuer(PemKeys.generateRsa());
    private static final TokenIssuer STRANGER = new TokenIssuer(PemKeys.generateRsa());
    private static final Duration TTL = Duration.ofHours(1);

    private TestTokens() {
    }

    public static String publicKeyPem() {
        return ISSUER.publicKeyPem();
    }

    public static String admin() {
        return mint("test-admin", Role.ADMIN, null);
    }

    public static String operator() {
        return mint("test-operator", Role.OPERATOR, null);
    }

    public static String viewer() {
        return mint("test-viewer", Role.VIEWER, null);
    }

    /** A JWT with the worker role (as a client-credentials grant would give). */
    public static String worker() {
        return mint("test-worker", Role.WORKER, null);
    }

    /**
     * An internal service's credential (migration-service, failover-service): roles {@code service}
     * and {@code admin}, every tenant, subject {@code service:<name>}.
     */
    public static String service(String name) {
        return ISSUER.mint("service:" + name, List.of(Role.SERVICE, Role.ADMIN), null, TTL);
    }

    /** @param tenants the tenants the token is limited to, or {@code null} for all */
    public static String mint(String subject, Role role, Collection<String> tenants) {
        return ISSUER.mint(subject, List.of(role), tenants, TTL);
    }

    /** A token without any role. */
    public static String noRole() {
        return ISSUER.mint("test-nobody", List.of(), null, TTL);
    }

    /** Well signed, expired ten minutes ago (beyond any clock-skew allowance). */
    public static String expired(Role role) {
        return ISSUER.mint("test-expired", List.of(role), null, Duration.ofMinutes(-10));
    }

    /**
     * Signs {@code claims} exactly as given with the trusted key: for tokens the services must refuse
     * (no {@code aud}, another audience, no {@code exp}) or must read differently (roles in another claim).
     */
    public static String sign(com.nimbusds.jwt.JWTClaimsSet claims) {
        return ISSUER.sign(claims);
    }

    /** Claims like a minted token's but without {@code aud} and {@code exp}, to add what a test needs. */
    public static com.nimbusds.jwt.JWTClaimsSet.Builder claims(String subject, Role role) {
        return new com.nimbusds.jwt.JWTClaimsSet.Builder().issuer(TokenIssuer.LOCAL_ISSUER).subject(subject)
                .issueTime(new java.util.Date()).claim("roles", List.of(role.claimValue()));
    }

    /** The audience of every token minted here (the services' default). */
    public static String audience() {
        return ISSUER.audience();
    }

    /** Well formed, with the right claims, signed by a key no service trusts. */
    public static String forged(Role role) {
        return STRANGER.mint("test-forger", List.of(role), null, TTL);
    }
}
