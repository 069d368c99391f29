package io.helios.security.client;

import com.sun.net.httpserver.HttpServer;
import io.helios.security.WorkerIdClaim;
import io.helios.security.token.PemKeys;
import io.helios.security.token.TokenIssuer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The client-credentials flow against a real token endpoint on a local port (JDK HTTP server)
 * that checks the client's Basic credentials and answers JWTs for {@code worker:<client id>}.
 */
class ClientCredentialsTokenSourceTest {

    private final TokenIssuer issuer = new TokenIssuer(PemKeys.generateRsa());
    private final List<String> forms = new CopyOnWriteArrayList<>();
    private final MutableClock clock = new MutableClock();
    private HttpServer server;
    private String tokenUri;

    @BeforeEach
    void startTokenEndpoint() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/token", exchange -> {
            String form = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            forms.add(URLDecoder.decode(form, StandardCharsets.UTF_8));
            String basic = exchange.getRequestHeaders().getFirst("Authorization");
            String expected = "Basic " + Base64.getEncoder().encodeToString("w-1:s3cr3t".getBytes(StandardCharsets.UTF_8));
            byte[] body;
            int status;
            if (!expected.equals(basic)) {
                status = 401;
                body = "{\"error\":\"invalid_client\",\"error_description\":\"bad secret\"}".getBytes(StandardCharsets.UTF_8);
            } else {
                status = 200;
                String jwt = issuer.mintWorker("w-1", Duration.ofMinutes(5));
                body = ("{\"access_token\":\"" + jwt + "\",\"token_type\":\"Bearer\",\"expires_in\":300}")
                        .getBytes(StandardCharsets.UTF_8);
            }
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        tokenUri = "http://127.0.0.1:" + server.getAddress().getPort() + "/token";
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void obtainsATokenKeepsItAndAsksAgainWhenItExpiresOrIsRejected() {
        BearerTokenSource tokens = new ClientCredentialsTokenSource(
                new ClientCredentialsTokenSource.Settings(tokenUri, "w-1", "s3cr3t", "helios.worker", "helios"), clock);
        String first = tokens.token();
        assertThat(WorkerIdClaim.DEFAULT.readUnverified(first)).contains("w-1");
        assertThat(tokens.token()).isSameAs(first);
        assertThat(forms).hasSize(1);
        assertThat(forms.get(0)).contains("grant_type=client_credentials", "scope=helios.worker", "audience=helios");

        clock.advance(Duration.ofSeconds(250)); // within the 60 s skew of the 300 s expiry
        String second = tokens.token();
        assertThat(forms).hasSize(2);
        assertThat(second).isNotEqualTo(first);

        tokens.rejected(second);
        assertThat(tokens.token()).isNotEqualTo(second);
        assertThat(forms).hasSize(3);
        assertThat(tokens.toString() + tokens.describe()).doesNotContain("s3cr3t");
    }

    @Test
    void aClientTheProviderRefusesIsAPermanentFailureWithoutTheSecret() {
        BearerTokenSource tokens = new ClientCredentialsTokenSource(
                new ClientCredentialsTokenSource.Settings(tokenUri, "w-1", "wrong", null, null), clock);
        assertThatThrownBy(tokens::token)
                .isInstanceOfSatisfying(CredentialException.class, e -> assertThat(e.permanent()).as(e.getMessage() + " " + e.getCause()).isTrue())
                .hasMessageContaining("invalid_client").hasMessageContaining("w-1").hasMessageNotContaining("wrong");
    }

    @Test
    void anUnreachableProviderIsAPassingFailure() {
        server.stop(0);
        BearerTokenSource tokens = new ClientCredentialsTokenSource(
                new ClientCredentialsTokenSource.Settings(tokenUri, "w-1", "s3cr3t", null, null), clock);
        assertThatThrownBy(tokens::token)
                .isInstanceOfSatisfying(CredentialException.class, e -> assertThat(e.permanent()).isFalse());
    }

    /** A clock the test moves. */
    static final class MutableClock extends Clock {

        private volatile Instant now = Instant.now();

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
