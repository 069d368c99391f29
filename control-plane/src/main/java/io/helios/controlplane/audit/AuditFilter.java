package io.helios.controlplane.audit;

import io.helios.controlplane.replication.Replication;
import io.helios.controlplane.replication.ReplicationService;
import io.helios.service.security.CallerAuthentication;
import io.helios.service.security.RoutedPath;
import io.helios.security.Caller;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Records every mutating {@code /api/} request (POST, PUT, PATCH, DELETE) in the audit trail
 * after it has been answered, refused ones (401, 403) included: subject, method, path (the decoded
 * path the router and the authorization see, {@link RoutedPath}, not the raw request line), target
 * collection and id, tenant, status. It runs outside the security filters (so it also sees
 * their refusals) and reads the caller the authorization step left on the request. It never
 * reads a body or the query string, so secrets cannot reach the trail. Successful worker
 * heartbeats are left out: they are protocol traffic, several per second, kept in the worker
 * registry; refused ones are recorded. A failure to record is logged and does not change the
 * answer (it has been sent).
 */
class AuditFilter extends OncePerRequestFilter {

    private static final Logger log = LoggerFactory.getLogger(AuditFilter.class);
    private static final Set<String> MUTATING = Set.of("POST", "PUT", "PATCH", "DELETE");

    private final AuditRepository audit;
    private final ReplicationService replications;
    private final Clock clock;

    AuditFilter(AuditRepository audit, ReplicationService replications, Clock clock) {
        this.audit = audit;
        this.replications = replications;
        this.clock = clock;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !MUTATING.contains(request.getMethod()) || !RoutedPath.decoded(request).startsWith("/api/");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        // the path the handler mappings and the authorization see: /%61pi/v1/... is recorded as /api/v1/...
        String path = RoutedPath.decoded(request);
        List<String> segments = Arrays.stream(path.split("/")).filter(s -> !s.isEmpty()).toList();
        String type = segments.size() > 2 ? segments.get(2) : null;
        String id = segments.size() > 3 ? segments.get(3) : null;
        String tenantBefore = tenantOf(type, id);
        int status = 500;
        try {
            chain.doFilter(request, response);
            status = response.getStatus();
        } finally {
            if (!(isHeartbeat(type, segments) && status < 300)) {
                record(request, path, type, id, tenantBefore, status, response);
            }
        }
    }

    private void record(HttpServletRequest request, String path, String type, String id, String tenant, int status,
                        HttpServletResponse response) {
        try {
            String target = id;
            String location = response.getHeader("Location");
            if (target == null && location != null) {
                target = location.substring(location.lastIndexOf('/') + 1);
            }
            if (tenant == null) {
                tenant = tenantOf(type, target);
            }
            Object caller = request.getAttribute(CallerAuthentication.REQUEST_ATTRIBUTE);
            String subject = caller instanceof Caller c ? c.subject() : "anonymous";
            audit.append(clock.instant(), subject, request.getMethod(), path, type, target, tenant, status);
        } catch (RuntimeException e) {
            log.error("could not record {} {} ({}) in the audit trail", request.getMethod(), path, status, e);
        }
    }

    private String tenantOf(String type, String id) {
        if (id == null) {
            return null;
        }
        return switch (type) {
            case "tenants" -> id;
            case "replications" -> tenantOfReplication(id);
            default -> null;
        };
    }

    /** Tenant of a replication, for the record of a request that names it; null for an unknown or malformed id. */
    private String tenantOfReplication(String id) {
        UUID uuid;
        try {
            uuid = UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            return null;
        }
        return replications.find(uuid).map(Replication::tenantId).orElse(null);
    }

    private static boolean isHeartbeat(String type, List<String> segments) {
        return "workers".equals(type) && segments.size() == 5 && "heartbeat".equals(segments.get(4));
    }
}
