package io.helios.worker.lease;

import io.helios.core.lease.Heartbeat;
import io.helios.worker.config.WorkerProperties;
import org.springframework.http.MediaType;
import org.springframework.http.client.SimpleClientHttpRequestFactory;
import org.springframework.stereotype.Component;
import org.springframework.web.client.RestClient;

/**
 * The worker side of the lease protocol over REST, authenticated with the worker's own service
 * credential ({@link WorkerCredential}). Thread-safe.
 */
@Component
public class ControlPlaneClient {

    private final RestClient http;
    private final WorkerCredential credential;

    public ControlPlaneClient(RestClient.Builder builder, WorkerProperties properties) {
        SimpleClientHttpRequestFactory requests = new SimpleClientHttpRequestFactory();
        requests.setConnectTimeout((int) properties.worker().heartbeatInterval().toMillis());
        requests.setReadTimeout((int) properties.worker().leaseTtl().toMillis() / 2);
        this.http = builder.baseUrl(properties.worker().controlPlaneUrl()).requestFactory(requests).build();
        this.credential = new WorkerCredential(properties.worker().auth(), http, java.time.Clock.systemUTC());
    }

    public Heartbeat.Response heartbeat(String workerId, Heartbeat.Request request) {
        return http.post().uri("/api/v1/workers/{id}/heartbeat", workerId)
                .contentType(MediaType.APPLICATION_JSON)
                .headers(h -> credential.token().ifPresent(h::setBearerAuth))
                .body(request)
                .retrieve()
                .body(Heartbeat.Response.class);
    }
}
