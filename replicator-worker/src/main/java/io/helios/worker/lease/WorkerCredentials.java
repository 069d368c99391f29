package io.helios.worker.lease;

import io.helios.security.WorkerIdClaim;
import io.helios.security.client.BearerTokenSource;
import io.helios.security.client.ClientCredentialsTokenSource;
import io.helios.security.client.CredentialException;
import io.helios.worker.config.WorkerProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The worker's own credential towards the control plane, as a {@link BearerTokenSource}: exactly
 * one of a static token ({@code helios.worker.token}), a token file read again when it changes
 * ({@code helios.worker.token-file}) or an OAuth2 client-credentials grant
 * ({@code helios.worker.oauth2.*}); none or several is a configuration error that stops the start
 * with a message naming the settings. Also tells which worker that credential belongs to.
 */
@Configuration(proxyBeanMethods = false)
public class WorkerCredentials {

    private static final Logger log = LoggerFactory.getLogger(WorkerCredentials.class);

    /** A source given as a bean (the one-JVM stack, tests) wins over the settings. */
    @Bean
    @ConditionalOnMissingBean
    BearerTokenSource workerTokenSource(WorkerProperties properties) {
        BearerTokenSource source = from(properties.worker());
        log.info("worker credential: {}", source.describe());
        return source;
    }

    /** The source the settings name. */
    public static BearerTokenSource from(WorkerProperties.Worker worker) {
        List<String> set = new ArrayList<>();
        if (present(worker.token())) {
            set.add("helios.worker.token (HELIOS_WORKER_TOKEN)");
        }
        if (present(worker.tokenFile())) {
            set.add("helios.worker.token-file (HELIOS_WORKER_TOKEN_FILE)");
        }
        WorkerProperties.OAuth2 oauth2 = worker.oauth2();
        if (oauth2 != null && oauth2.configured()) {
            set.add("helios.worker.oauth2.token-uri (HELIOS_WORKER_TOKEN_URI)");
        }
        if (set.isEmpty()) {
            throw new IllegalStateException("the worker has no credential towards the control plane: set its own token"
                    + " (helios.worker.token / HELIOS_WORKER_TOKEN, for example from ./helios token --worker <id>), a token"
                    + " file (helios.worker.token-file / HELIOS_WORKER_TOKEN_FILE) or an OAuth2 client-credentials grant"
                    + " (helios.worker.oauth2.token-uri, client-id, client-secret / HELIOS_WORKER_TOKEN_URI,"
                    + " HELIOS_WORKER_CLIENT_ID, HELIOS_WORKER_CLIENT_SECRET)");
        }
        if (set.size() > 1) {
            throw new IllegalStateException("the worker's credential is configured more than once: " + String.join(", ", set)
                    + "; keep exactly one");
        }
        if (present(worker.token())) {
            return BearerTokenSource.fixed(worker.token());
        }
        if (present(worker.tokenFile())) {
            return BearerTokenSource.file(Path.of(worker.tokenFile()));
        }
        return new ClientCredentialsTokenSource(new ClientCredentialsTokenSource.Settings(oauth2.tokenUri(),
                oauth2.clientId(), oauth2.clientSecret(), oauth2.scope(), oauth2.audience()), Clock.systemUTC());
    }

    /**
     * This worker's id: the configured one, else the one its token names. With both, they must agree
     * when the token names one (an opaque token names none; the control plane then judges).
     *
     * @throws IllegalStateException naming what to set or fix
     */
    public static String workerId(WorkerProperties.Worker worker, BearerTokenSource tokens) {
        WorkerIdClaim claim = new WorkerIdClaim(worker.idClaim() == null ? "sub" : worker.idClaim(), worker.idPrefix());
        if (present(worker.id())) {
            Optional<String> named;
            try {
                named = claim.readUnverified(tokens.token());
            } catch (CredentialException e) {
                if (e.permanent()) {
                    throw e;
                }
                return worker.id(); // the provider is not reachable now; the control plane judges at the first beat
            }
            if (named.isPresent() && !named.get().equals(worker.id())) {
                throw new IllegalStateException("helios.worker.id (HELIOS_WORKER_ID) is '" + worker.id() + "' but the"
                        + " worker's credential (" + tokens.describe() + ") belongs to worker '" + named.get()
                        + "': give this worker its own credential, or leave helios.worker.id empty");
            }
            return worker.id();
        }
        Optional<String> named = claim.readUnverified(tokens.token());
        return named.orElseThrow(() -> new IllegalStateException("cannot tell this worker's id: its credential ("
                + tokens.describe() + ") names no worker in " + claim.describe() + ", and helios.worker.id"
                + " (HELIOS_WORKER_ID) is not set. Give the worker a token minted for it (./helios token --worker <id>),"
                + " or set helios.worker.id-claim/id-prefix to where your identity provider names the worker"));
    }

    private static boolean present(String s) {
        return s != null && !s.isBlank();
    }
}
