package io.helios.gateway.ratelimit;

import io.helios.gateway.GatewayProperties.RateLimit.OnStoreFailure;
import org.springframework.cloud.gateway.filter.ratelimit.RateLimiter;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import reactor.core.publisher.Mono;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The {@link RateLimiter} behind Spring Cloud Gateway's {@code RequestRateLimiter} when
 * {@code helios.gateway.rate-limit.store=redis}: one token bucket per client in Redis, shared by every
 * gateway replica that uses the same Redis and key prefix. Each request runs Spring Cloud Gateway's
 * own token-bucket script (the {@code redisRequestRateLimiterScript} bean its {@code RedisRateLimiter}
 * uses) atomically in Redis, with Redis' clock, so replicas' clocks do not matter; tokens refill in
 * whole seconds. Keyed like {@link InMemoryRateLimiter}: one bucket per client across all routes
 * ({@code <prefix>:{<client>}.tokens} and {@code .timestamp}, one hash slot for Redis Cluster), and
 * the same answers ({@link LimitAnswers}).
 * <p>When Redis fails or does not answer within {@code timeout}, {@link StoreAvailability} logs and
 * counts it, and {@code onFailure} decides: {@code ALLOW} counts the request in {@code fallback}
 * (this replica's in-memory buckets), {@code REFUSE} refuses it (503). Thread-safe; the connection
 * belongs to Spring Boot's Redis connection factory.
 * <p>Why the script and not {@code RedisRateLimiter} itself: that class keys a bucket per route
 * ({@code request_rate_limiter.{route.client}}), under a fixed prefix, and absorbs Redis errors (an
 * error log per request, then "allowed"), which leaves no room for a metric or a refuse mode.
 */
final class SharedRateLimiter implements RateLimiter<Object> {

    /** The script refills in whole seconds: a refused client has a token again within a second. */
    private static final long RETRY_AFTER_SECONDS = 1;

    private final boolean enabled;
    private final ReactiveStringRedisTemplate redis;
    private final RedisScript<List<Long>> script;
    private final List<String> arguments;
    private final String keyPrefix;
    private final Duration timeout;
    private final OnStoreFailure onFailure;
    private final RateLimiter<?> fallback;
    private final StoreAvailability availability;
    private final long unavailableRetryAfter;

    SharedRateLimiter(boolean enabled, int capacity, int refillPerSecond, ReactiveStringRedisTemplate redis,
                      RedisScript<List<Long>> script, String keyPrefix, Duration timeout, OnStoreFailure onFailure,
                      RateLimiter<?> fallback, StoreAvailability availability, Duration retryInterval) {
        this.enabled = enabled;
        this.redis = redis;
        this.script = script;
        // the script's ARGV: replenish rate, burst capacity, now (empty: Redis' TIME), requested tokens
        this.arguments = List.of(String.valueOf(refillPerSecond), String.valueOf(capacity), "", "1");
        this.keyPrefix = keyPrefix;
        this.timeout = timeout;
        this.onFailure = onFailure;
        this.fallback = fallback;
        this.availability = availability;
        this.unavailableRetryAfter = Math.max(1, retryInterval.toSeconds());
    }

    @Override
    public Mono<Response> isAllowed(String routeId, String id) {
        if (!enabled) {
            return Mono.just(LimitAnswers.unlimited());
        }
        if (!availability.shouldTry()) {
            return withoutStore(routeId, id);
        }
        return redis.execute(script, keys(id), arguments)
                .collectList()
                .timeout(timeout)
                .map(this::decide)
                .doOnNext(r -> availability.answered())
                .onErrorResume(e -> {
                    availability.failed(e);
                    return withoutStore(routeId, id);
                });
    }

    List<String> keys(String id) {
        String bucket = keyPrefix + ":{" + id + "}";
        return List.of(bucket + ".tokens", bucket + ".timestamp");
    }

    private Response decide(List<List<Long>> answer) {
        List<Long> result = answer.stream().flatMap(List::stream).toList();
        if (result.size() < 2) {
            throw new IllegalStateException("the rate limit script answered " + result);
        }
        return result.get(0) == 1L ? LimitAnswers.allowed(result.get(1)) : LimitAnswers.refused(RETRY_AFTER_SECONDS);
    }

    private Mono<Response> withoutStore(String routeId, String id) {
        if (onFailure == OnStoreFailure.REFUSE) {
            availability.decidedWithout("refused");
            return Mono.just(LimitAnswers.storeUnavailable(unavailableRetryAfter));
        }
        availability.decidedWithout("local");
        return fallback.isAllowed(routeId, id);
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
