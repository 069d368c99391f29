package io.helios.worker.security;

import io.helios.worker.WorkerApplication;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A worker answers health (without details) and Prometheus to anyone, and refuses every other
 * request, whatever its spelling. Its control plane is down: that does not matter here.
 */
class ActuatorSecurityTest {

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private static ConfigurableApplicationContext worker;
    private static String base;

    @BeforeAll
    static void start() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        worker = WorkerApplication.builder().run("--server.port=0", "--helios.worker.id=actuator-test",
                "--helios.worker.control-plane-url=http://127.0.0.1:" + closed,
                "--helios.worker.token=unused",
                "--helios.secrets.active-key=local",
                "--helios.secrets.keys.local=dGVzdC1rZXktdGhpcnR5LXR3by1ieXRlcy1sb25nISE=",
                "--helios.broker.enabled=false", "--management.health.rabbit.enabled=false");
        base = "http://127.0.0.1:" + ((WebServerApplicationContext) worker).getWebServer().getPort();
    }

    @AfterAll
    static void stop() {
        worker.close();
    }

    private static HttpResponse<String> call(String method, String path) throws Exception {
        HttpRequest r = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
                .method(method, HttpRequest.BodyPublishers.noBody()).build();
        return HTTP.send(r, HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void healthAndPrometheusArePublicAndHealthShowsNoDetails() throws Exception {
        HttpResponse<String> health = call("GET", "/actuator/health");
        assertThat(health.statusCode()).isIn(200, 503);
        assertThat(health.body()).contains("\"status\"").doesNotContain("components", "details", "replications");
        for (String path : List.of("/actuator/health/liveness", "/actuator/prometheus")) {
            assertThat(call("GET", path).statusCode()).as(path).isEqualTo(200);
        }
        assertThat(call("GET", "/actuator/health/readiness").statusCode()).isIn(200, 503);
    }

    @Test
    void everythingElseIsRefused() throws Exception {
        for (String path : List.of("/actuator", "/actuator/env", "/actuator/beans", "/actuator/configprops",
                "/actuator/metrics", "/actuator/info", "/actuator/heapdump", "/actuator/threaddump", "/actuator/loggers",
                "/actuator/%65nv", "/actuator/health/../env", "/actuator//env", "/actuator/ENV", "/v3/api-docs",
                "/swagger-ui.html", "/error", "/")) {
            assertThat(call("GET", path).statusCode()).as(path).isIn(400, 401, 403);
        }
        assertThat(call("POST", "/actuator/health").statusCode()).isEqualTo(403);
        assertThat(call("POST", "/actuator/loggers/root").statusCode()).isEqualTo(403);
    }
}
