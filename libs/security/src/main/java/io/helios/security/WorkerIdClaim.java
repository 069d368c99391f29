package io.helios.security;

import com.nimbusds.jwt.JWTParser;

import java.text.ParseException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Where a worker's credential names the worker: one claim (a top-level name or a dotted path,
 * {@code helios.security.jwt.worker-id-claim}) whose string value is a prefix followed by the worker
 * id. The default is the subject with the prefix {@code worker:} ({@code "sub": "worker:w-1"} names
 * worker {@code w-1}); with Keycloak service accounts, whose subject is a user UUID, point it at
 * {@code azp} (the client id) with the prefix the worker clients share. A value without the prefix
 * or that is not a valid worker id names no worker. Immutable, thread-safe.
 *
 * @param claim  the claim, or a dotted path to it
 * @param prefix what the value starts with before the id (may be empty)
 */
public record WorkerIdClaim(String claim, String prefix) {

    /** A worker id: letters, digits, {@code _ . : -}, at most 128 characters, starting with a letter or digit. */
    public static final Pattern WORKER_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}");

    /** {@code sub} = {@code worker:<id>}: the tokens {@code ./helios token --worker <id>} and the local stack mint. */
    public static final WorkerIdClaim DEFAULT = new WorkerIdClaim("sub", "worker:");

    public WorkerIdClaim {
        if (claim == null || claim.isBlank()) {
            throw new IllegalArgumentException("the worker id claim must be named (helios.security.jwt.worker-id-claim)");
        }
        claim = claim.trim();
        prefix = prefix == null ? "" : prefix;
    }

    public static boolean valid(String workerId) {
        return workerId != null && WORKER_ID.matcher(workerId).matches();
    }

    /** The worker the verified claims name, if they name one. */
    public Optional<String> read(Map<String, Object> claims) {
        Object value = ClaimsReader.at(claims, List.of(claim.split("\\.")));
        if (!(value instanceof String s) || !s.startsWith(prefix)) {
            return Optional.empty();
        }
        String id = s.substring(prefix.length());
        return valid(id) ? Optional.of(id) : Optional.empty();
    }

    /**
     * The worker a JWT names, read WITHOUT verifying it: for a worker to learn its own id from the
     * credential it was given (the control plane verifies the token); empty for an opaque token.
     */
    public Optional<String> readUnverified(String token) {
        try {
            return read(JWTParser.parse(token).getJWTClaimsSet().getClaims());
        } catch (ParseException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** For messages: {@code claim sub = worker:<id>}. */
    public String describe() {
        return "claim " + claim + " = " + prefix + "<worker id>";
    }
}
