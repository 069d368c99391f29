package io.helios.gateway.ratelimit;

import io.helios.gateway.GatewayApplication;
import io.helios.testsupport.TestTokens;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A gateway started in this JVM in front of a control plane that is down (every request that
 * passes the rate limit gets the circuit's 503, so 429 means limited), trusting {@link TestTokens}.
 */
final class GatewayUnderTest implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();

    final ConfigurableApplicationContext context;
    private final String base;

    private GatewayUnderTest(ConfigurableApplicationContext context) {
        this.context = context;
        this.base = "http://127.0.0.1:" + ((WebServerApplicationContext) context).getWebServer().getPort();
    }

    /** @param settings {@code key=value} settings of the gateway */
    static GatewayUnderTest start(String... settings) {
        List<String> args = new ArrayList<>(List.of("--server.port=0",
                "--helios.services.control-plane=http://127.0.0.1:" + closedPort(),
                "--helios.security.jwt.public-key=" + TestTokens.publicKeyPem()));
        for (String s : settings) {
            args.add("--" + s);
        }
        return new GatewayUnderTest(GatewayApplication.builder().run(args.toArray(String[]::new)));
    }

    /** A local port nothing listens on. */
    static int closedPort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    HttpResponse<String> get(String path, String token) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30)).GET();
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        try {
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A request of {@code token}'s caller through the rate limit to the (down) control plane. */
    HttpResponse<String> call(String token) {
        return get("/api/v1/tenants", token);
    }

    /**
     * {@code n} requests of {@code token}'s caller at once, their statuses: a burst spent within a
     * moment, however slow each request is on a loaded machine (the refill cannot keep up).
     */
    List<Integer> callAtOnce(String token, int n) {
        List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            calls.add(HTTP.sendAsync(HttpRequest.newBuilder(URI.create(base + "/api/v1/tenants"))
                    .timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + token).GET().build(),
                    HttpResponse.BodyHandlers.ofString()));
        }
        return calls.stream().map(c -> c.join().statusCode()).toList();
    }

    @Override
    public void close() {
        context.close();
    }
}
