package io.helios.failover.controlplane;

import io.helios.core.lease.EndpointSpec;
import io.helios.failover.FailoverProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.stereotype.Component;
import org.springframework.web.client.HttpStatusCodeException;
import org.springframework.web.client.ResourceAccessException;
import org.springframework.web.client.RestClient;

import java.net.http.HttpClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The failover service's calls to the control plane, with the service's bearer token and bounded
 * connect and response timeouts. A refusal is a {@link ControlPlaneException} carrying the status
 * and the problem's type; an unreachable control plane one with status 503. The token is never
 * logged. Thread-safe.
 */
@Component
public class ControlPlaneClient {

    private static final Logger log = LoggerFactory.getLogger(ControlPlaneClient.class);

    private final RestClient http;

    public ControlPlaneClient(FailoverProperties properties) {
        FailoverProperties.ControlPlane cp = properties.controlPlane();
        HttpClient jdk = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(cp.timeout()).build();
        JdkClientHttpRequestFactory factory = new JdkClientHttpRequestFactory(jdk);
        factory.setReadTimeout(cp.timeout());
        RestClient.Builder b = RestClient.builder().baseUrl(cp.url()).requestFactory(factory)
                .defaultHeader("Accept", MediaType.APPLICATION_JSON_VALUE);
        if (cp.token() != null && !cp.token().isBlank()) {
            b.defaultHeader("Authorization", "Bearer " + cp.token());
        }
        this.http = b.build();
    }

    /** Every replication the control plane knows, across pages. */
    public List<Replication> replications() {
        List<Replication> all = new ArrayList<>();
        String cursor = null;
        do {
            String uri = "/api/v1/replications?limit=1000" + (cursor == null ? "" : "&cursor=" + cursor);
            Page page = call(() -> http.get().uri(uri).retrieve().body(Page.class), "list replications");
            all.addAll(page.items());
            cursor = page.next();
        } while (cursor != null);
        return all;
    }

    public Replication replication(UUID id) {
        return call(() -> http.get().uri("/api/v1/replications/{id}", id).retrieve().body(Replication.class),
                "read replication " + id);
    }

    public ReplicationStatus status(UUID replicationId) {
        return call(() -> http.get().uri("/api/v1/replications/{id}/status", replicationId).retrieve()
                .body(ReplicationStatus.class), "read the status of replication " + replicationId);
    }

    public Route route(String tenantId) {
        return call(() -> http.get().uri("/api/v1/tenants/{id}/route", tenantId).retrieve().body(Route.class),
                "read the route of tenant " + tenantId);
    }

    /** The endpoint's connection with its sealed password (service role only). */
    public EndpointSpec connection(UUID endpointId) {
        return call(() -> http.get().uri("/api/v1/internal/endpoints/{id}/connection", endpointId).retrieve()
                .body(EndpointSpec.class), "read the connection of endpoint " + endpointId);
    }

    /** Revokes the replication's lease, stops it without touching its source; the last applied position. */
    public Promotion promote(UUID replicationId, String reason) {
        return call(() -> http.post().uri("/api/v1/internal/replications/{id}/promote", replicationId)
                .contentType(MediaType.APPLICATION_JSON).body(Map.of("reason", cut(reason))).retrieve()
                .body(Promotion.class), "promote replication " + replicationId);
    }

    /** Compare-and-set move of the tenant's primary; 409 stale-routing-epoch when another mover won. */
    public Route moveRoute(String tenantId, UUID primaryEndpointId, long expectedEpoch, String reason) {
        return call(() -> http.post().uri("/api/v1/internal/tenants/{id}/route", tenantId).contentType(MediaType.APPLICATION_JSON)
                .body(Map.of("primaryEndpointId", primaryEndpointId, "expectedEpoch", expectedEpoch, "reason", cut(reason)))
                .retrieve().body(Route.class), "move the route of tenant " + tenantId);
    }

    /** Creates a replication (failback's reverse replication) and answers it. */
    public Replication createReplication(Map<String, Object> request) {
        return call(() -> http.post().uri("/api/v1/replications").contentType(MediaType.APPLICATION_JSON).body(request)
                .retrieve().body(Replication.class), "create a replication");
    }

    public Replication startReplication(UUID id) {
        return call(() -> http.post().uri("/api/v1/replications/{id}/start", id).retrieve().body(Replication.class),
                "start replication " + id);
    }

    public Optional<Replication> findReplication(UUID id) {
        try {
            return Optional.of(replication(id));
        } catch (ControlPlaneException e) {
            if (e.status() == 404) {
                return Optional.empty();
            }
            throw e;
        }
    }

    private <T> T call(java.util.function.Supplier<T> request, String what) {
        try {
            return request.get();
        } catch (HttpStatusCodeException e) {
            HttpStatusCode status = e.getStatusCode();
            String type = problemType(e.getResponseBodyAsString());
            log.debug("control plane refused to {}: {} {}", what, status.value(), type);
            throw new ControlPlaneException(status.value(), type, "the control plane answered " + status.value()
                    + (type == null ? "" : " (" + type + ")") + " to " + what);
        } catch (ResourceAccessException e) {
            log.debug("control plane unreachable to {}: {}", what, e.getMessage());
            throw new ControlPlaneException(503, null, "the control plane did not answer to " + what + ": " + e.getMessage());
        }
    }

    /** Reasons travel to the control plane's audit trail, which takes at most 500 characters. */
    private static String cut(String reason) {
        return reason == null ? "" : reason.length() <= 500 ? reason : reason.substring(0, 497) + "...";
    }

    private static String problemType(String body) {
        int i = body == null ? -1 : body.indexOf("\"type\"");
        if (i < 0) {
            return null;
        }
        int start = body.indexOf('"', body.indexOf(':', i) + 1);
        int end = start < 0 ? -1 : body.indexOf('"', start + 1);
        if (end < 0) {
            return null;
        }
        String type = body.substring(start + 1, end);
        return type.substring(type.lastIndexOf('/') + 1);
    }

    /** One page of replications. */
    public record Page(List<Replication> items, String next) {
    }
}
