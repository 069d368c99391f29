package io.helios.security;

import io.helios.security.AccessRule.Reach;

import org.springframework.http.server.PathContainer;

import java.util.List;
import java.util.Optional;

import static io.helios.security.Role.ADMIN;
import static io.helios.security.Role.OPERATOR;
import static io.helios.security.Role.SERVICE;
import static io.helios.security.Role.VIEWER;
import static io.helios.security.Role.WORKER;

/**
 * The one access table of the suite: for each operation, the least role that may call it and
 * whether tenant-restricted tokens may. The gateway enforces it, and every service enforces it
 * again, so that skipping the gateway gains nothing. The first matching rule wins; a request no
 * rule matches is refused (deny by default). Only {@link PublicPaths} are answered without it, and
 * the doors refuse everything that is neither public nor under {@code /api/}. Rules are matched on
 * the decoded path the router dispatches on (see {@link AccessRule}), never on the raw request
 * line. Immutable, thread-safe.
 */
public final class AccessPolicy {

    /** The table of the Helios suite. Keep docs/api.md's roles table in step with it. */
    public static final AccessPolicy HELIOS = new AccessPolicy(List.of(
            // service to service (endpoint connections, moves of the routing directory): the internal services'
            // credential only, under a prefix of its own so that no spelling falls under a broader rule
            AccessRule.of("*", "/api/v1/internal/**", SERVICE, Reach.SYSTEM),
            // worker lease protocol: the workers' service credential only
            AccessRule.of("POST", "/api/v1/workers/*/heartbeat", WORKER, Reach.SYSTEM),
            AccessRule.of("GET", "/api/v1/workers", VIEWER, Reach.SYSTEM),
            // audit trail
            AccessRule.of("GET", "/api/v1/audit", ADMIN, Reach.SYSTEM),
            AccessRule.of("GET", "/api/v1/audit/verify", ADMIN, Reach.SYSTEM),
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
            // a shared endpoint granted to a tenant: a restricted admin must not grant itself other endpoints
            AccessRule.of("PUT", "/api/v1/tenants/*/endpoints/**", ADMIN, Reach.SYSTEM),
            AccessRule.of("DELETE", "/api/v1/tenants/*/endpoints/**", ADMIN, Reach.SYSTEM),
            // schema claims: restricted admins only on their tenant's own endpoints (the service checks)
            AccessRule.of("PUT", "/api/v1/tenants/*/schemas/**", ADMIN, Reach.TENANTS),
            AccessRule.of("DELETE", "/api/v1/tenants/*/schemas/**", ADMIN, Reach.TENANTS),
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

    public Optional<AccessRule> ruleFor(String method, PathContainer path) {
        return rules.stream().filter(r -> r.matches(method, path)).findFirst();
    }

    /**
     * Whether {@code caller} may call {@code method path}. {@code path} is the request's path within
     * the application as the router parsed it (Spring's {@code RequestPath.pathWithinApplication()}),
     * so the rule is matched on the same decoded segments the router dispatches on. A path no rule
     * matches is refused, whatever it looks like.
     */
    public Decision decide(String method, PathContainer path, Caller caller) {
        Optional<AccessRule> rule = ruleFor(method, path);
        if (rule.isEmpty()) {
            return Decision.deny("no access rule allows " + method + " " + path.value());
        }
        AccessRule r = rule.get();
        if (!caller.has(r.minimum())) {
            return Decision.deny(method + " " + path.value() + " needs the " + r.minimum().claimValue() + " role"
                    + (r.minimum() == WORKER || r.minimum() == SERVICE ? "" : " or higher"));
        }
        if (r.reach() == Reach.SYSTEM && caller.tenants().restricted()) {
            return Decision.deny(method + " " + path.value() + " needs a token valid for all tenants");
        }
        return Decision.ALLOW;
    }

    /** {@link #decide(String, PathContainer, Caller)} on a raw (still encoded) request path, parsed as the routers parse it. */
    public Decision decide(String method, String rawPath, Caller caller) {
        return decide(method, PathContainer.parsePath(rawPath), caller);
    }
}
