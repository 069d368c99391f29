package io.helios.stack;

import com.nimbusds.jwt.JWTClaimsSet;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.helios.security.token.TokenIssuer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A real OAuth2 token endpoint for tests (the JDK's HTTP server on a free local port): the
 * client-credentials grant of the clients it knows (HTTP Basic), answering JWTs signed by the
 * test's issuer with the claims each client is configured with, valid for {@code lifetime}.
 * Records every form it was sent. Close it after the test.
 */
final class TokenEndpoint implements AutoCloseable {

    /** A client: its secret and the subject and roles of its tokens. */
    record Client(String secret, String subject, List<String> roles) {
    }

    private final HttpServer server;
    private final TokenIssuer issuer;
    private final Map<String, Client> clients;
    private final Duration lifetime;
    private final List<String> forms = new CopyOnWriteArrayList<>();

    private TokenEndpoint(TokenIssuer issuer, Map<String, Client> clients, Duration lifetime) throws IOException {
        this.issuer = issuer;
        this.clients = Map.copyOf(clients);
        this.lifetime = lifetime;
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/token", this::token);
        server.start();
    }

    static TokenEndpoint start(TokenIssuer issuer, Map<String, Client> clients, Duration lifetime) {
        try {
            return new TokenEndpoint(issuer, clients, lifetime);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    String uri() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/token";
    }

    /** The decoded forms of every token request so far, in order. */
    List<String> forms() {
        return List.copyOf(forms);
    }

    private void token(HttpExchange exchange) throws IOException {
        forms.add(URLDecoder.decode(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8),
                StandardCharsets.UTF_8));
        Client client = authenticated(exchange.getRequestHeaders().getFirst("Authorization"));
        String body;
        int status;
        if (client == null) {
            status = 401;
            body = "{\"error\":\"invalid_client\"}";
        } else {
            Instant now = Instant.now();
            String jwt = issuer.sign(new JWTClaimsSet.Builder().issuer(TokenIssuer.LOCAL_ISSUER).subject(client.subject())
                    .audience(issuer.audience()).jwtID(UUID.randomUUID().toString()).issueTime(Date.from(now))
                    .expirationTime(Date.from(now.plus(lifetime))).claim("roles", client.roles()).build());
            status = 200;
            body = "{\"access_token\":\"" + jwt + "\",\"token_type\":\"Bearer\",\"expires_in\":" + lifetime.toSeconds() + "}";
        }
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    private Client authenticated(String authorization) {
        if (authorization == null || !authorization.startsWith("Basic ")) {
            return null;
        }
        String[] idSecret = new String(Base64.getDecoder().decode(authorization.substring(6)), StandardCharsets.UTF_8)
                .split(":", 2);
        Client c = clients.get(URLDecoder.decode(idSecret[0], StandardCharsets.UTF_8));
        return c != null && idSecret.length == 2 && c.secret().equals(URLDecoder.decode(idSecret[1], StandardCharsets.UTF_8))
                ? c : null;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
