package io.helios.gateway;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import org.springframework.util.unit.DataSize;

import java.time.Duration;

/**
 * The gateway's own settings under {@code helios.gateway} (routes, timeouts and retries are
 * Spring Cloud Gateway's, in {@code gateway.yml}).
 *
 * @param rateLimit      per-client token bucket
 * @param circuitBreaker when to stop calling a failing service for a while
 * @param maxRequestBody largest request body passed on (by {@code Content-Length}); larger ones get 413
 *                       (applied by the {@code RequestSize} default filter in {@code gateway.yml})
 */
@Validated
@ConfigurationProperties("helios.gateway")
public record GatewayProperties(@Valid @DefaultValue RateLimit rateLimit,
                                @Valid @DefaultValue CircuitBreaker circuitBreaker,
                                @NotNull @DefaultValue("1MB") DataSize maxRequestBody) {

    /**
     * @param enabled            whether requests are limited at all
     * @param capacity           burst: requests a client may make at once
     * @param refillPerSecond    sustained requests per second per client
     * @param store              where the buckets live: {@code memory} (each replica its own) or {@code redis}
     *                           (shared by every replica; connection under {@code spring.data.redis.*})
     * @param onStoreFailure     {@code store=redis} only, while Redis does not answer: {@code allow} (default: the
     *                           request is counted in this replica's in-memory buckets instead, as with
     *                           {@code store=memory}) or {@code refuse} (503 problem, no service is called)
     * @param storeTimeout       longest wait for Redis on one request before it counts as unavailable
     * @param storeRetryInterval after a failure, how long requests skip Redis before one tries it again
     * @param keyPrefix          prefix of the Redis keys ({@code <prefix>:{<client>}.tokens} and {@code .timestamp}):
     *                           gateways share buckets exactly when they share Redis and this prefix
     */
    public record RateLimit(@DefaultValue("true") boolean enabled, @Min(1) @DefaultValue("100") int capacity,
                            @Min(1) @DefaultValue("20") int refillPerSecond,
                            @NotNull @DefaultValue("memory") Store store,
                            @NotNull @DefaultValue("allow") OnStoreFailure onStoreFailure,
                            @NotNull @DefaultValue("500ms") Duration storeTimeout,
                            @NotNull @DefaultValue("5s") Duration storeRetryInterval,
                            @NotBlank @DefaultValue("helios:rate-limit") String keyPrefix) {

        /** Where token buckets are kept. */
        public enum Store { MEMORY, REDIS }

        /** What a request meets while the shared store does not answer. */
        public enum OnStoreFailure { ALLOW, REFUSE }
    }

    /**
     * @param failureRateThreshold percentage of failed calls (connection refused, timeout) that opens the circuit
     * @param minimumCalls         calls to see before the rate counts
     * @param openFor              how long an open circuit answers 503 at once before it lets calls try again
     * @param timeout              bound on one call through the breaker (above the route's response timeout)
     */
    public record CircuitBreaker(@DefaultValue("50") float failureRateThreshold, @DefaultValue("10") int minimumCalls,
                                 @NotNull @DefaultValue("10s") Duration openFor,
                                 @NotNull @DefaultValue("35s") Duration timeout) {
    }
}
