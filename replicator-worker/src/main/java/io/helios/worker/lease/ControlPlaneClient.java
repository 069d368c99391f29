package io.helios.worker.lease;

import io.helios.core.lease.Heartbeat;
import io.helios.security.client.BearerTokenSource;
import io.helios.worker.config.WorkerProperties;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.client.SimpleClientHttpRequestFactory;
import org.springframework.stereotype.Component;
import org.springframework.web.client.HttpClientErrorException;
import org.springframework.web.client.RestClient;

/**
 * The worker side of the lease protocol over REST, authenticated with the worker's own credential
 * ({@link BearerTokenSource}, see {@link WorkerCredentials}). A 401 makes the source forget the
 * token and the beat is sent once more with a new one; a second 401, or a 403, is an
 * {@link IdentityRefusedException}. Thread-safe.
 */
@Component
public class ControlPlaneClient {

    private final RestClient http;
    private final BearerTokenSource tokens;
    private final WorkerProperties.Worker config;
    private volatile String workerId;

    public ControlPlaneClient(RestClient.Builder builder, WorkerProperties properties, BearerTokenSource tokens) {
        SimpleClientHttpRequestFactory requests = new SimpleClientHttpRequestFactory();
        requests.setConnectTimeout((int) properties.worker().heartbeatInterval().toMillis());
        requests.setReadTimeout((int) properties.worker().leaseTtl().toMillis() / 2);
        this.http = builder.baseUrl(properties.worker().controlPlaneUrl()).requestFactory(requests).build();
        this.tokens = tokens;
        this.config = properties.worker();
    }

    /** This worker's id (from the settings or its credential), resolved at the first call. */
    public String workerId() {
        String id = workerId;
        if (id == null) {
            id = WorkerCredentials.workerId(config, tokens);
            workerId = id;
        }
        return id;
    }

    public Heartbeat.Response heartbeat(String workerId, Heartbeat.Request request) {
        String token = tokens.token();
        try {
            return send(workerId, request, token);
        } catch (HttpClientErrorException.Unauthorized e) {
            tokens.rejected(token);
            String fresh = tokens.token();
            if (fresh.equals(token)) {
                throw refused(workerId, e);
            }
            try {
                return send(workerId, request, fresh);
            } catch (HttpClientErrorException.Unauthorized | HttpClientErrorException.Forbidden again) {
                throw refused(workerId, again);
            }
        } catch (HttpClientErrorException.Forbidden e) {
            throw refused(workerId, e);
        }
    }

    private Heartbeat.Response send(String workerId, Heartbeat.Request request, String token) {
        return http.post().uri("/api/v1/workers/{id}/heartbeat", workerId)
                .contentType(MediaType.APPLICATION_JSON)
                .headers(h -> h.setBearerAuth(token))
                .body(request)
                .retrieve()
                .body(Heartbeat.Response.class);
    }

    private IdentityRefusedException refused(String workerId, HttpClientErrorException e) {
        String detail;
        try {
            ProblemDetail problem = e.getResponseBodyAs(ProblemDetail.class);
            detail = problem == null || problem.getDetail() == null ? e.getStatusText() : problem.getDetail();
        } catch (RuntimeException unreadable) {
            detail = e.getStatusText();
        }
        int status = e.getStatusCode().value();
        String hint = status == 401
                ? "the token is not valid there (expired, signed by a key it does not trust, wrong audience or issuer)"
                : "the token is not this worker's (the control plane reads the worker id from the token, helios.security"
                + ".jwt.worker-id-claim, by default sub = worker:<id>) or lacks the worker role";
        return new IdentityRefusedException(status, "the control plane " + config.controlPlaneUrl() + " refused worker '"
                + workerId + "' with " + status + ": " + detail + " - " + hint + "; credential: " + tokens.describe(), e);
    }
}
