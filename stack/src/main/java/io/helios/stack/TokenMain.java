package io.helios.stack;

import io.helios.security.Role;
import io.helios.security.WorkerIdClaim;
import io.helios.security.token.LocalKeyStore;
import io.helios.security.token.TokenIssuer;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * {@code ./helios token --role admin|operator|viewer|service [--tenants a,b] [--ttl 1h] [--subject name]}, or
 * {@code ./helios token --worker <id> [--ttl 30d]}: prints a bearer token signed with the local stack's
 * key ({@code .helios/local/keys}), naming the audience the local services require ({@code aud: helios}),
 * which {@code ./helios local} trusts. A worker's token is its own credential: role {@code worker},
 * subject {@code worker:<id>} (the control plane reads the worker id from it). No external identity
 * provider needed. Development only.
 */
public final class TokenMain {

    private TokenMain() {
    }

    static Path keyDirectory(Path home) {
        return home.resolve("keys");
    }

    public static void main(String[] args) {
        Role role = null;
        List<String> tenants = null;
        Duration ttl = Duration.ofHours(1);
        String subject = null;
        String worker = null;
        for (int i = 0; i < args.length; i++) {
            String value = i + 1 < args.length ? args[i + 1] : null;
            switch (args[i]) {
                case "--role" -> role = Role.fromClaim(value).orElseThrow(() -> usage("unknown role " + value));
                case "--tenants" -> tenants = new ArrayList<>(Arrays.stream(value.split(",")).map(String::trim)
                        .filter(t -> !t.isEmpty()).toList());
                case "--ttl" -> ttl = parseTtl(value);
                case "--subject" -> subject = value;
                case "--worker" -> worker = value;
                default -> throw usage("unknown argument " + args[i]);
            }
            i++;
        }
        if (worker != null && (role != null || tenants != null || subject != null)) {
            throw usage("--worker takes no --role, --tenants or --subject: a worker's token has role worker and names it");
        }
        if (worker == null && role == null) {
            throw usage("--role or --worker is required");
        }
        if (role == Role.WORKER) {
            throw usage("a worker's token names the worker: use --worker <id> instead of --role worker");
        }
        Path home = Path.of(System.getProperty("helios.home", ".helios/local")).toAbsolutePath();
        TokenIssuer issuer = new TokenIssuer(LocalKeyStore.loadOrCreate(keyDirectory(home)));
        if (worker != null) {
            if (!WorkerIdClaim.valid(worker)) {
                throw usage("'" + worker + "' is not a valid worker id (letters, digits, _ . : -, at most 128)");
            }
            System.out.println(issuer.mintWorker(worker, ttl));
            return;
        }
        // a service's token (migration, failover) carries admin too: it defines replications through the normal API
        List<Role> roles = role == Role.SERVICE ? List.of(Role.SERVICE, Role.ADMIN) : List.of(role);
        System.out.println(issuer.mint(subject != null ? subject : "local-" + role.claimValue(), roles, tenants, ttl));
    }

    /** {@code 90s}, {@code 30m}, {@code 1h}, {@code 7d}, or an ISO-8601 duration. */
    static Duration parseTtl(String value) {
        String v = value.trim().toLowerCase(Locale.ROOT);
        if (v.startsWith("p")) {
            return Duration.parse(v.toUpperCase(Locale.ROOT));
        }
        long n = Long.parseLong(v.substring(0, v.length() - 1));
        return switch (v.charAt(v.length() - 1)) {
            case 's' -> Duration.ofSeconds(n);
            case 'm' -> Duration.ofMinutes(n);
            case 'h' -> Duration.ofHours(n);
            case 'd' -> Duration.ofDays(n);
            default -> throw usage("--ttl takes 90s, 30m, 1h, 7d or an ISO-8601 duration");
        };
    }

    private static IllegalArgumentException usage(String problem) {
        System.err.println(problem);
        System.err.println("usage: ./helios token --role admin|operator|viewer|service [--tenants a,b] [--ttl 1h] [--subject name]");
        System.err.println("       ./helios token --worker <worker id> [--ttl 30d]");
        System.exit(2);
        return new IllegalArgumentException(problem);
    }
}
