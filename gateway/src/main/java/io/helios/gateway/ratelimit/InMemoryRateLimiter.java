package io.helios.gateway.ratelimit;

import org.springframework.cloud.gateway.filter.ratelimit.RateLimiter;
import reactor.core.publisher.Mono;

import java.time.Clock;
import java.util.Map;

/**
 * The {@link RateLimiter} behind Spring Cloud Gateway's {@code RequestRateLimiter} filter when no
 * shared store is configured: {@link TokenBuckets} in this JVM, so with N gateway replicas a
 * client gets up to N times the rate. Answers {@code X-RateLimit-Remaining} when allowed and
 * {@code Retry-After} (seconds) when refused. One bucket per client across all routes.
 */
final class InMemoryRateLimiter implements RateLimiter<Object> {

    private final boolean enabled;
    private final TokenBuckets buckets;

    InMemoryRateLimiter(boolean enabled, int capacity, int refillPerSecond, Clock clock) {
        this.enabled = enabled;
        this.buckets = new TokenBuckets(capacity, refillPerSecond, clock);
    }

    @Override
    public Mono<Response> isAllowed(String routeId, String id) {
        if (!enabled) {
            return Mono.just(new Response(true, Map.of()));
        }
        long wait = buckets.take(id);
        if (wait == 0) {
            return Mono.just(new Response(true, Map.of("X-RateLimit-Remaining", String.valueOf(buckets.remaining(id)))));
        }
        return Mono.just(new Response(false, Map.of("Retry-After", String.valueOf(wait), "X-RateLimit-Remaining", "0")));
    }

    @Override
    public Map<String, Object> getConfig() {
        return Map.of();
    }

    @Override
    public Class<Object> getConfigClass() {
        return Object.class;
    }

    @Override
    public Object newConfig() {
        return new Object();
    }
}
