package io.helios.gateway;

import io.helios.testsupport.TestTokens;
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

import static org.assertj.core.api.Assertions.assertThat;

/** The gateway refuses a body declared larger than helios.gateway.max-request-body with 413, without calling the service. */
class GatewayBodyLimitTest {

    private static ConfigurableApplicationContext gateway;
    private static String base;
    private static final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void start() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        gateway = GatewayApplication.builder().run("--server.port=0",
                "--helios.services.control-plane=http://127.0.0.1:" + closed,
                "--helios.security.jwt.public-key=" + TestTokens.publicKeyPem(),
                "--helios.gateway.max-request-body=4KB");
        base = "http://127.0.0.1:" + ((WebServerApplicationContext) gateway).getWebServer().getPort();
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    private static HttpResponse<String> post(int bytes) throws Exception {
        String body = "{\"name\":\"" + "x".repeat(bytes) + "\"}";
        return http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/tenants")).timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + TestTokens.admin())
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void refusesABodyOverTheCapWith413() throws Exception {
        assertThat(post(8 * 1024).statusCode()).isEqualTo(413);
    }

    @Test
    void passesABodyUnderTheCapOn() throws Exception {
        // the service is down: a body under the cap reaches the route and gets the circuit's 503
        assertThat(post(100).statusCode()).isEqualTo(503);
    }
}
