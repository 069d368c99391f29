package io.helios.worker.lease;

import io.helios.worker.config.WorkerProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.MediaType;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;
import org.springframework.web.client.RestClient;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * The bearer token the worker shows the control plane: the static one when configured, else an
 * access token from an OAuth2 client-credentials grant, fetched when first needed and again 30 s
 * before it expires. Without either, no header is sent (the control plane will answer 401 and the
 * heartbeat fails with that status in the log). Thread-safe.
 */
final class WorkerCredential {

    private static final Logger log = LoggerFactory.getLogger(WorkerCredential.class);
    private static final Duration EARLY = Duration.ofSeconds(30);

    private final WorkerProperties.Auth auth;
    private final RestClient http;
    private final Clock clock;
    private String cached;
    private Instant renewAt = Instant.MIN;

    WorkerCredential(WorkerProperties.Auth auth, RestClient http, Clock clock) {
        this.auth = auth;
        this.http = http;
        this.clock = clock;
    }

    /** The token to send now, if the worker has a credential. */
    synchronized Optional<String> token() {
        if (present(auth.token())) {
            return Optional.of(auth.token());
        }
        if (!present(auth.tokenUri())) {
            return Optional.empty();
        }
        if (cached == null || !clock.instant().isBefore(renewAt)) {
            fetch();
        }
        return Optional.of(cached);
    }

    private void fetch() {
        MultiValueMap<String, String> form = new LinkedMultiValueMap<>();
        form.add("grant_type", "client_credentials");
        form.add("client_id", auth.clientId());
        form.add("client_secret", auth.clientSecret());
        if (present(auth.scope())) {
            form.add("scope", auth.scope());
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> answer = http.post().uri(auth.tokenUri()).contentType(MediaType.APPLICATION_FORM_URLENCODED)
                .body(form).retrieve().body(Map.class);
        if (answer == null || !(answer.get("access_token") instanceof String token)) {
            throw new IllegalStateException("the token endpoint " + auth.tokenUri() + " answered no access_token");
        }
        long expiresIn = answer.get("expires_in") instanceof Number n ? n.longValue() : 60;
        cached = token;
        renewAt = clock.instant().plusSeconds(expiresIn).minus(EARLY);
        log.debug("obtained a client-credentials token for {} valid {} s", auth.clientId(), expiresIn);
    }

    private static boolean present(String s) {
        return s != null && !s.isBlank();
    }
}
