package io.helios.gateway;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
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
     * @param enabled         whether requests are limited at all
     * @param capacity        burst: requests a client may make at once
     * @param refillPerSecond sustained requests per second per client
     * @param store           where the buckets live: {@code memory} (each replica its own) or {@code redis} (shared)
     */
    public record RateLimit(@DefaultValue("true") boolean enabled, @Min(1) @DefaultValue("100") int capacity,
                            @Min(1) @DefaultValue("20") int refillPerSecond,
                            @NotNull @DefaultValue("memory") Store store) {

        /** Where token buckets are kept. */
        public enum Store { MEMORY, REDIS }
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
