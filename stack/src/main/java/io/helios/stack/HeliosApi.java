package io.helios.stack;

import org.springframework.http.MediaType;
import org.springframework.web.client.RestClient;

import java.util.List;
import java.util.Map;

/**
 * A small client of the control plane's REST API, as an operator's script would use it, sending
 * one bearer token. Thread-safe.
 */
public final class HeliosApi {

    private final RestClient http;

    public HeliosApi(String baseUrl, String bearerToken) {
        this.http = RestClient.builder().baseUrl(baseUrl + "/api/v1")
                .defaultHeaders(h -> h.setBearerAuth(bearerToken)).build();
    }

    @SuppressWarnings("unchecked")
    public Map<String, Object> post(String path, Object body) {
        return http.post().uri(path).contentType(MediaType.APPLICATION_JSON).body(body == null ? Map.of() : body)
                .retrieve().body(Map.class);
    }

    @SuppressWarnings("unchecked")
    public Map<String, Object> get(String path) {
        return http.get().uri(path).retrieve().body(Map.class);
    }

    /**
     * Every item of a list endpoint: follows the pages' {@code next} cursor ({@code {items, next}}
     * answers, up to 1000 items a page) until the last page.
     */
    @SuppressWarnings("unchecked")
    public List<Map<String, Object>> list(String path) {
        List<Map<String, Object>> all = new java.util.ArrayList<>();
        String separator = path.contains("?") ? "&" : "?";
        String cursor = null;
        do {
            String page = path + separator + "limit=1000" + (cursor == null ? ""
                    : "&cursor=" + java.net.URLEncoder.encode(cursor, java.nio.charset.StandardCharsets.UTF_8));
            Map<String, Object> answer = http.get().uri(page).retrieve().body(Map.class);
            all.addAll((List<Map<String, Object>>) answer.get("items"));
            cursor = (String) answer.get("next");
        } while (cursor != null);
        return all;
    }

    public void delete(String path) {
        http.delete().uri(path).retrieve().toBodilessEntity();
    }

    public String createEndpoint(String name, String region, String jdbcUrl, String user, String password) {
        return (String) post("/endpoints", Map.of("name", name, "region", region, "jdbcUrl", jdbcUrl,
                "username", user, "password", password)).get("id");
    }

    public String createTenant(String id, String name) {
        return (String) post("/tenants", Map.of("id", id, "name", name)).get("id");
    }

    /** Creates a replication from a request body (see the OpenAPI document) and returns its id. */
    public String createReplication(Map<String, Object> body) {
        return (String) post("/replications", body).get("id");
    }

    public void action(String replicationId, String action) {
        post("/replications/" + replicationId + "/" + action, null);
    }

    public Map<String, Object> status(String replicationId) {
        return get("/replications/" + replicationId + "/status");
    }
}
