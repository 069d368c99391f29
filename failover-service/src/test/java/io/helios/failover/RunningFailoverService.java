package io.helios.failover;

import io.helios.testsupport.PostgresCluster;
import io.helios.testsupport.TestClusters;
import io.helios.testsupport.TestTokens;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;

/**
 * A failover service started through {@link FailoverApplication#builder()} on a random port, with
 * its own database on the shared test cluster, and a tiny JSON-over-HTTP client that sends real
 * bearer tokens: an admin's by default, or the one given to {@link #as(String)}.
 * One per test class (or per observer); close it in {@code @AfterAll}.
 */
public final class RunningFailoverService implements AutoCloseable {

    public static final String TEST_KEY = "dGVzdC1rZXktdGhpcnR5LXR3by1ieXRlcy1sb25nISE=";

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final ConfigurableApplicationContext context;
    private final HttpClient http = HttpClient.newBuilder()
            // HTTP/1.1: the JDK client's default h2c upgrade of a request with a body can leave a
            // reactor-netty server and the client waiting on each other; a hang must fail, not block
            .version(HttpClient.Version.HTTP_1_1).connectTimeout(java.time.Duration.ofSeconds(5)).build();
    private final String base;
    private final String database;

    private RunningFailoverService(ConfigurableApplicationContext context, String database) {
        this.context = context;
        this.database = database;
        int port = ((WebServerApplicationContext) context).getWebServer().getPort();
        this.base = "http://127.0.0.1:" + port;
    }

    public static RunningFailoverService start(String name, Map<String, Object> extraProperties, Clock clock) {
        return boot(TestClusters.shared().createDatabase("fo_" + name), extraProperties, clock);
    }

    /** Starts a control plane again on the database a closed one of this name used, keeping its data. */
    public static RunningFailoverService restart(String name, Map<String, Object> extraProperties, Clock clock) {
        return boot("fo_" + name, extraProperties, clock);
    }

    private static RunningFailoverService boot(String db, Map<String, Object> extraProperties, Clock clock) {
        PostgresCluster pg = TestClusters.shared();
        Map<String, Object> props = new HashMap<>();
        props.put("server.port", 0);
        props.put("spring.datasource.url", pg.jdbcUrl(db));
        props.put("spring.datasource.username", pg.user());
        props.put("spring.datasource.password", pg.password());
        props.put("helios.secrets.active-key", "test-1");
        props.put("helios.secrets.keys.test-1", TEST_KEY);
        props.put("helios.observer-id", "observer-" + db);
        props.put("helios.control-plane.token", TestTokens.service("failover-service"));
        props.put("helios.security.jwt.public-key", TestTokens.publicKeyPem());
        props.putAll(extraProperties);
        // command-line arguments outrank control-plane.yml (builder().properties(...) would only add defaults)
        String[] args = props.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue()).toArray(String[]::new);
        SpringApplicationBuilder builder = FailoverApplication.builder();
        if (clock != null) {
            builder.initializers(ctx -> ctx.getBeanFactory().registerSingleton("clock", clock));
        }
        return new RunningFailoverService(builder.run(args), db);
    }

    public static PostgresCluster cluster() {
        return TestClusters.shared();
    }

    public Connection connectOwnDatabase() throws SQLException {
        return cluster().connect(database);
    }

    public <T> T bean(Class<T> type) {
        return context.getBean(type);
    }

    public <T> T bean(String name, Class<T> type) {
        return context.getBean(name, type);
    }

    public String baseUrl() {
        return base;
    }

    public Response get(String path) {
        return as(null).get(path);
    }

    public Response post(String path, String json) {
        return as(null).post(path, json);
    }

    public Response put(String path, String json) {
        return as(null).put(path, json);
    }

    public Response delete(String path) {
        return as(null).delete(path);
    }

    /** A client that sends {@code token} (none when empty; the default choice when null). */
    public Client as(String token) {
        return new Client(token);
    }

    /** Calls with one bearer token. */
    public final class Client {

        private final String token;

        private Client(String token) {
            this.token = token;
        }

        public Response get(String path) {
            return send(path, HttpRequest.newBuilder(URI.create(base + path)).GET());
        }

        public Response post(String path, String json) {
            return send(path, HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(json == null ? "" : json)));
        }

        public Response put(String path, String json) {
            return send(path, HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", "application/json")
                    .PUT(HttpRequest.BodyPublishers.ofString(json)));
        }

        public Response delete(String path) {
            return send(path, HttpRequest.newBuilder(URI.create(base + path)).DELETE());
        }

        private Response send(String path, HttpRequest.Builder request) {
            String t = token != null ? token : TestTokens.admin();
            request.timeout(java.time.Duration.ofSeconds(30));
            if (!t.isEmpty()) {
                request.header("Authorization", "Bearer " + t);
            }
            return RunningFailoverService.this.send(request);
        }
    }

    private Response send(HttpRequest.Builder request) {
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

    /** An HTTP answer: status, raw body, content type; {@link #json()} parses the body. */
    public record Response(int status, String body, String contentType) {

        public JsonNode json() {
            return JSON.readTree(body);
        }

        public String text(String field) {
            JsonNode n = json().get(field);
            return n == null || n.isNull() ? null : n.asString();
        }

        @Override
        public String toString() {
            return status + " " + body;
        }
    }
}
