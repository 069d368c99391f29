package io.helios.gateway;

import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.timelimiter.TimeLimiterConfig;
import org.springframework.cloud.circuitbreaker.resilience4j.ReactiveResilience4JCircuitBreakerFactory;
import org.springframework.cloud.circuitbreaker.resilience4j.Resilience4JConfigBuilder;
import org.springframework.cloud.client.circuitbreaker.Customizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Resilience4j defaults for every route's circuit breaker: opens on a failure rate of calls that
 * could not be completed (refused connections, timeouts), so that a service that is down is
 * answered with a fast 503 instead of each client waiting on it. The time limiter sits above the
 * route's response timeout: the HTTP client times out first, with a clearer cause.
 */
@Configuration(proxyBeanMethods = false)
class CircuitBreakerConfiguration {

    @Bean
    Customizer<ReactiveResilience4JCircuitBreakerFactory> circuitBreakerDefaults(GatewayProperties properties) {
        GatewayProperties.CircuitBreaker cb = properties.circuitBreaker();
        return factory -> factory.configureDefault(id -> new Resilience4JConfigBuilder(id)
                .circuitBreakerConfig(CircuitBreakerConfig.custom()
                        .failureRateThreshold(cb.failureRateThreshold())
                        .minimumNumberOfCalls(cb.minimumCalls())
                        .slidingWindowSize(Math.max(cb.minimumCalls(), 20))
                        .waitDurationInOpenState(cb.openFor())
                        .build())
                .timeLimiterConfig(TimeLimiterConfig.custom().timeoutDuration(cb.timeout()).build())
                .build());
    }
}
