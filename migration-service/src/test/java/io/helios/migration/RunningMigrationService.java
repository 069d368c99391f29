package io.helios.migration;

import io.helios.testsupport.PostgresCluster;
import io.helios.testsupport.TestClusters;
import io.helios.testsupport.TestTokens;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * A migration service started through {@link MigrationServiceApplication#builder()} on a random
 * port, with its own database on the shared test cluster, the test key's JWTs, and a control plane
 * URL where nothing answers (the API's own checks and security run without one). A tiny HTTP client
 * sends real bearer tokens. One per test class; close it in {@code @AfterAll}.
 */
final class RunningMigrationService implements AutoCloseable {

    static final String TEST_KEY = "dGVzdC1rZXktdGhpcnR5LXR3by1ieXRlcy1sb25nISE=";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final ConfigurableApplicationContext context;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;

    private RunningMigrationService(ConfigurableApplicationContext context) {
        this.context = context;
        this.base = "http://127.0.0.1:" + ((WebServerApplicationContext) context).getWebServer().getPort();
    }

    static RunningMigrationService start(String name) {
        PostgresCluster pg = TestClusters.shared();
        String db = pg.createDatabase("ms_" + name);
        Map<String, Object> props = new HashMap<>();
        props.put("server.port", 0);
        props.put("spring.datasource.url", pg.jdbcUrl(db));
        props.put("spring.datasource.username", pg.user());
        props.put("spring.datasource.password", pg.password());
        props.put("helios.secrets.active-key", "test-1");
        props.put("helios.secrets.keys.test-1", TEST_KEY);
        props.put("helios.security.jwt.public-key", TestTokens.publicKeyPem());
        props.put("helios.control-plane.url", "http://127.0.0.1:" + closedPort());
        props.put("helios.control-plane.timeout", "2s");
        props.put("helios.broker.enabled", "false");
        String[] args = props.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue()).toArray(String[]::new);
        return new RunningMigrationService(MigrationServiceApplication.builder().run(args));
    }

    private static int closedPort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    String baseUrl() {
        return base;
    }

    Response get(String path, String token) {
        return send(token, HttpRequest.newBuilder(URI.create(base + path)).GET());
    }

    Response post(String path, String json, String token) {
        return send(token, HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json == null ? "" : json)));
    }

    private Response send(String token, HttpRequest.Builder request) {
        request.timeout(Duration.ofSeconds(30));
        if (token != null && !token.isEmpty()) {
            request.header("Authorization", "Bearer " + token);
        }
        try {
            HttpResponse<String> r = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Response(r.statusCode(), r.body(), r.headers().firstValue("Content-Type").orElse(""));
        } catch (Exception e) {
            throw new IllegalStateException("HTTP call failed: " + e, e);
        }
    }

    @Override
    public void close() {
        SpringApplication.exit(context);
    }

    /** An HTTP answer. */
    record Response(int status, String body, String contentType) {

        JsonNode json() {
            return JSON.readTree(body);
        }

        @Override
        public String toString() {
            return status + " " + body;
        }
    }
}
