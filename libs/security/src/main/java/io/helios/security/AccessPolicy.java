package io.helios.security;

import io.helios.security.AccessRule.Reach;

import java.util.List;
import java.util.Optional;

import static io.helios.security.Role.ADMIN;
import static io.helios.security.Role.OPERATOR;
import static io.helios.security.Role.VIEWER;
import static io.helios.security.Role.WORKER;

/**
 * The one access table of the suite: for each operation under {@code /api/}, the least role that
 * may call it and whether tenant-restricted tokens may. The gateway enforces it, and every service
 * enforces it again, so that skipping the gateway gains nothing. The first matching rule wins;
 * an {@code /api/} path without a rule is refused (deny by default). Paths outside {@code /api/}
 * (health, metrics, OpenAPI documents, Swagger UI) are not governed by it. Immutable, thread-safe.
 */
public final class AccessPolicy {

    /** Paths the table governs. */
    public static final String API_PREFIX = "/api/";

    /** The table of the Helios suite. Keep docs/api.md's roles table in step with it. */
    public static final AccessPolicy HELIOS = new AccessPolicy(List.of(
            // worker lease protocol: the workers' service credential only
            AccessRule.of("POST", "/api/v1/workers/*/heartbeat", WORKER, Reach.SYSTEM),
            AccessRule.of("GET", "/api/v1/workers", VIEWER, Reach.SYSTEM),
            // audit trail
            AccessRule.of("GET", "/api/v1/audit", ADMIN, Reach.SYSTEM),
            // scheduled maintenance's findings (orphaned slots and publications on every endpoint)
            AccessRule.of("GET", "/api/v1/maintenance/**", ADMIN, Reach.SYSTEM),
            // endpoints hold credentials: shared, admin-managed; reads are filtered to the caller's tenants
            AccessRule.of("POST", "/api/v1/endpoints/*/preflight", OPERATOR, Reach.SYSTEM),
            AccessRule.of("GET", "/api/v1/endpoints/**", VIEWER, Reach.TENANTS),
            AccessRule.of("*", "/api/v1/endpoints/**", ADMIN, Reach.SYSTEM),
            // QoS policies: shared tiers, readable by all
            AccessRule.of("GET", "/api/v1/qos-policies/**", VIEWER, Reach.TENANTS),
            AccessRule.of("*", "/api/v1/qos-policies/**", ADMIN, Reach.SYSTEM),
            // tenants and their routes
            AccessRule.of("GET", "/api/v1/tenants/**", VIEWER, Reach.TENANTS),
            AccessRule.of("*", "/api/v1/tenants/**", ADMIN, Reach.TENANTS),
            // replications: operators drive the lifecycle, admins define and delete
            AccessRule.of("GET", "/api/v1/replications/**", VIEWER, Reach.TENANTS),
            AccessRule.of("POST", "/api/v1/replications/*/start", OPERATOR, Reach.TENANTS),
            AccessRule.of("POST", "/api/v1/replications/*/pause", OPERATOR, Reach.TENANTS),
            AccessRule.of("POST", "/api/v1/replications/*/resume", OPERATOR, Reach.TENANTS),
            AccessRule.of("POST", "/api/v1/replications/*/stop", OPERATOR, Reach.TENANTS),
            AccessRule.of("*", "/api/v1/replications/**", ADMIN, Reach.TENANTS),
            // migration-service (when it lands): operators run migrations
            AccessRule.of("GET", "/api/v1/migrations/**", VIEWER, Reach.TENANTS),
            AccessRule.of("*", "/api/v1/migrations/**", OPERATOR, Reach.TENANTS),
            // failover-service (when it lands): manual failover is an admin's decision
            AccessRule.of("GET", "/api/v1/failovers/**", VIEWER, Reach.TENANTS),
            AccessRule.of("*", "/api/v1/failovers/**", ADMIN, Reach.TENANTS)));

    private final List<AccessRule> rules;

    public AccessPolicy(List<AccessRule> rules) {
        this.rules = List.copyOf(rules);
    }

    public List<AccessRule> rules() {
        return rules;
    }

    /** Whether the table governs this path (everything under {@code /api/}). */
    public static boolean governs(String path) {
        return path.startsWith(API_PREFIX) || path.equals("/api");
    }

    public Optional<AccessRule> ruleFor(String method, String path) {
        return rules.stream().filter(r -> r.matches(method, path)).findFirst();
    }

    /** Whether {@code caller} may call {@code method path}; paths outside {@code /api/} are always allowed. */
    public Decision decide(String method, String path, Caller caller) {
        if (!governs(path)) {
            return Decision.ALLOW;
        }
        Optional<AccessRule> rule = ruleFor(method, path);
        if (rule.isEmpty()) {
            return Decision.deny("no access rule allows " + method + " " + path);
        }
        AccessRule r = rule.get();
        if (!caller.has(r.minimum())) {
            return Decision.deny(method + " " + path + " needs the " + r.minimum().claimValue() + " role"
                    + (r.minimum() == WORKER ? "" : " or higher"));
        }
        if (r.reach() == Reach.SYSTEM && caller.tenants().restricted()) {
            return Decision.deny(method + " " + path + " needs a token valid for all tenants");
        }
        return Decision.ALLOW;
    }
}
