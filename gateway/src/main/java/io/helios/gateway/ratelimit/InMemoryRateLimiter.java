package io.helios.gateway.ratelimit;

import org.springframework.cloud.gateway.filter.ratelimit.RateLimiter;
import reactor.core.publisher.Mono;

import java.time.Clock;
import java.util.Map;

/**
 * The {@link RateLimiter} behind Spring Cloud Gateway's {@code RequestRateLimiter} filter when no
 * shared store is configured: {@link TokenBuckets} in this JVM, so with N gateway replicas a
 * client gets up to N times the rate. Answers as {@link LimitAnswers} says. One bucket per client
 * across all routes. Also the fallback of {@link SharedRateLimiter} while Redis does not answer.
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
            return Mono.just(LimitAnswers.unlimited());
        }
        long wait = buckets.take(id);
        return Mono.just(wait == 0 ? LimitAnswers.allowed(buckets.remaining(id)) : LimitAnswers.refused(wait));
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
