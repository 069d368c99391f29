package io.helios.controlplane.security;

import io.helios.security.Role;
import io.helios.security.WorkerIdClaim;
import io.helios.service.security.CallerAuthentication;
import io.helios.service.security.CallerAuthenticationConverter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * The control plane's addition to the shared resource server: a {@code worker} token names its worker
 * ({@link WorkerIdProperties}), which {@link WorkerIdentity} checks against the lease protocol's paths.
 */
@Configuration(proxyBeanMethods = false)
class WorkerTokens {

    private static final Logger log = LoggerFactory.getLogger(WorkerTokens.class);
    private static final String LEGACY_WORKER_TOKEN = "helios.security.worker-token";

    @Bean
    CallerAuthenticationConverter workerIdFromToken(WorkerIdProperties properties, Environment environment) {
        refuseSharedWorkerToken(environment);
        WorkerIdClaim workerIds = properties.workerId();
        log.info("worker ids from {}", workerIds.describe());
        return (caller, token) -> {
            // only a worker token names a worker: a person's subject never becomes a worker id
            String workerId = caller.roles().contains(Role.WORKER) ? workerIds.read(token.getClaims()).orElse(null) : null;
            return new CallerAuthentication(caller, workerId);
        };
    }

    /**
     * The shared static worker token is gone (each worker has its own credential now): a control plane
     * still configured with one refuses to start rather than leave its workers locked out unexplained.
     */
    private static void refuseSharedWorkerToken(Environment environment) {
        String legacy = environment.getProperty(LEGACY_WORKER_TOKEN);
        if (legacy != null && !legacy.isBlank()) {
            throw new IllegalStateException(LEGACY_WORKER_TOKEN + " is no longer supported: each worker now"
                    + " authenticates with its own JWT (role worker, " + WorkerIdClaim.DEFAULT.describe() + " by default)."
                    + " Remove the setting and give every worker its own credential (docs/operations.md, breaking changes"
                    + " on upgrade)");
        }
    }
}
