package io.helios.migration.controlplane;

import io.helios.core.lease.EndpointSpec;
import io.helios.migration.MigrationProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The control plane's REST API as the migration service uses it: the routing directory (read and
 * compare-and-set move), endpoint connections (service only), and replications (create, start,
 * stop, delete, status). Every call is bounded by {@code helios.control-plane.timeout}; a failure
 * is a {@link ControlPlaneException} carrying the answer's status and problem type. The bearer token
 * is sent, never logged. Thread-safe.
 */
@Component
public class ControlPlaneClient {

    private static final Logger log = LoggerFactory.getLogger(ControlPlaneClient.class);

    private final HttpClient http;
    private final JsonMapper json;
    private final String base;
    private final String token;
    private final Duration timeout;

    public ControlPlaneClient(MigrationProperties properties, JsonMapper json) {
        MigrationProperties.ControlPlane cp = properties.controlPlane();
        this.base = cp.url().endsWith("/") ? cp.url().substring(0, cp.url().length() - 1) : cp.url();
        this.token = cp.token();
        this.timeout = cp.timeout();
        this.json = json;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(timeout).build();
    }

    public Route route(String tenantId) {
        return route(call("GET", "/api/v1/tenants/" + enc(tenantId) + "/route", null));
    }

    /**
     * Moves the tenant's primary to {@code primary} when its epoch is still {@code expectedEpoch}.
     *
     * @throws ControlPlaneException with {@link ControlPlaneException#staleEpoch()} when another mover won
     */
    public Route moveRoute(String tenantId, UUID primary, long expectedEpoch, String reason) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("primaryEndpointId", primary.toString());
        body.put("expectedEpoch", expectedEpoch);
        body.put("reason", reason);
        return route(call("POST", "/api/v1/internal/tenants/" + enc(tenantId) + "/route", body));
    }

    public EndpointSpec connection(UUID endpointId) {
        JsonNode n = call("GET", "/api/v1/internal/endpoints/" + endpointId + "/connection", null);
        return new EndpointSpec(text(n, "id"), text(n, "name"), text(n, "region"), text(n, "jdbcUrl"),
                text(n, "username"), text(n, "sealedPassword"));
    }

    /** Name, region and owner tenant ({@code ""} for a shared endpoint) of an endpoint. */
    public Map<String, String> endpoint(UUID endpointId) {
        JsonNode n = call("GET", "/api/v1/endpoints/" + endpointId, null);
        String owner = text(n, "ownerTenantId");
        return Map.of("name", String.valueOf(text(n, "name")), "region", String.valueOf(text(n, "region")),
                "owner", owner == null ? "" : owner);
    }

    /** The shared endpoints granted to the tenant. */
    public List<UUID> grantedEndpoints(String tenantId) {
        List<UUID> out = new ArrayList<>();
        call("GET", "/api/v1/tenants/" + enc(tenantId) + "/endpoints", null)
                .forEach(g -> out.add(UUID.fromString(text(g, "endpointId"))));
        return out;
    }

    /** Every replication of the tenant, read page by page. */
    public List<ReplicationInfo> replicationsOf(String tenantId) {
        List<ReplicationInfo> out = new ArrayList<>();
        String cursor = null;
        for (int page = 0; page < 1000; page++) {
            JsonNode n = call("GET", "/api/v1/replications?limit=1000" + (cursor == null ? "" : "&cursor=" + enc(cursor)), null);
            for (JsonNode r : n.path("items")) {
                if (tenantId.equals(text(r, "tenantId"))) {
                    out.add(replication(r));
                }
            }
            cursor = text(n, "next");
            if (cursor == null) {
                return out;
            }
        }
        throw new ControlPlaneException(0, null, "the replication list did not end after 1000 pages", null);
    }

    public ReplicationInfo replication(UUID id) {
        return replication(call("GET", "/api/v1/replications/" + id, null));
    }

    public ReplicationInfo createReplication(Map<String, Object> request) {
        return replication(call("POST", "/api/v1/replications", request));
    }

    public void start(UUID replicationId) {
        call("POST", "/api/v1/replications/" + replicationId + "/start", null);
    }

    public void stop(UUID replicationId) {
        call("POST", "/api/v1/replications/" + replicationId + "/stop", null);
    }

    public void delete(UUID replicationId) {
        call("DELETE", "/api/v1/replications/" + replicationId, null);
    }

    public ReplicationProgress status(UUID replicationId) {
        JsonNode n = call("GET", "/api/v1/replications/" + replicationId + "/status", null);
        JsonNode copy = n.path("copy");
        return new ReplicationProgress(text(n, "state"), text(n, "phase"), copy.path("rows").asLong(0),
                copy.hasNonNull("percent") ? copy.get("percent").asInt() : null, n.path("rowsApplied").asLong(0),
                text(n, "lastAppliedLsn"), dbl(n, "lagP99Ms"), dbl(n, "lagP50Ms"), n.path("stale").asBoolean(false),
                text(n, "lastError"));
    }

    private JsonNode call(String method, String path, Object body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(timeout)
                .header("Accept", "application/json");
        if (token != null && !token.isBlank()) {
            b.header("Authorization", "Bearer " + token);
        }
        if (body != null) {
            b.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body)));
        } else {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        }
        HttpResponse<String> response;
        try {
            response = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new ControlPlaneException(0, null, method + " " + path + ": control plane did not answer: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ControlPlaneException(0, null, method + " " + path + ": interrupted", e);
        }
        int status = response.statusCode();
        if (status >= 200 && status < 300) {
            String text = response.body();
            return text == null || text.isBlank() ? json.createObjectNode() : json.readTree(text);
        }
        String type = null;
        String detail = response.body();
        try {
            JsonNode problem = json.readTree(response.body());
            String t = text(problem, "type");
            type = t == null ? null : t.substring(t.lastIndexOf('/') + 1);
            detail = text(problem, "detail");
        } catch (RuntimeException notJson) {
            // keep the raw body as detail
        }
        log.debug("control plane answered {} to {} {}: {}", status, method, path, detail);
        throw new ControlPlaneException(status, type, method + " " + path + " -> " + status + ": " + detail, null);
    }

    private static Route route(JsonNode n) {
        return new Route(text(n, "tenantId"), UUID.fromString(text(n, "primaryEndpointId")), text(n, "endpointName"),
                text(n, "region"), n.path("routingEpoch").asLong());
    }

    private static ReplicationInfo replication(JsonNode r) {
        return new ReplicationInfo(UUID.fromString(text(r, "id")), text(r, "tenantId"),
                UUID.fromString(text(r, "sourceEndpointId")), UUID.fromString(text(r, "targetEndpointId")),
                text(r, "tenancyModel"), text(r, "sourceSchema"), text(r, "targetSchema"), text(r, "discriminatorColumn"),
                strings(r.path("includeTables")), strings(r.path("excludeTables")), text(r, "state"));
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(v -> out.add(v.asString()));
        return out;
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asString();
    }

    private static Double dbl(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asDouble();
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
