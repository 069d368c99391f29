package io.helios.controlplane.security;

import io.helios.security.WorkerIdClaim;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How a worker's token names its worker, under {@code helios.security.jwt} (beside the shared key and roles
 * settings). Workers are callers like any other: each shows its own JWT (role {@code worker}), which names
 * the worker; there is no shared worker token any more.
 *
 * @param workerIdClaim  the claim (or dotted path) that names the worker a {@code worker} token belongs to
 *                       (default {@code sub}; Keycloak service accounts: {@code azp}, the client id)
 * @param workerIdPrefix what that claim's value starts with before the worker id (default {@code worker:};
 *                       may be empty)
 */
@ConfigurationProperties("helios.security.jwt")
public record WorkerIdProperties(@DefaultValue("sub") String workerIdClaim, @DefaultValue("worker:") String workerIdPrefix) {

    /** How a worker token names its worker. */
    public WorkerIdClaim workerId() {
        return new WorkerIdClaim(workerIdClaim, workerIdPrefix);
    }
}
