package io.helios.gateway.ratelimit;

import org.springframework.cloud.gateway.filter.ratelimit.RateLimiter;

import java.util.Map;

/**
 * The answers every Helios {@link RateLimiter} gives, whatever keeps the buckets, so that a client
 * sees the same headers from each store: {@code X-RateLimit-Remaining} when allowed;
 * {@code Retry-After} (seconds) and {@code X-RateLimit-Remaining: 0} when refused. A refusal because
 * the shared store does not answer carries {@link #STORE_UNAVAILABLE_HEADER}, which
 * {@link RateLimitProblemFilter} turns into a 503 problem and removes.
 */
final class LimitAnswers {

    static final String REMAINING_HEADER = "X-RateLimit-Remaining";
    static final String RETRY_AFTER_HEADER = "Retry-After";
    /** Internal: never reaches the client. */
    static final String STORE_UNAVAILABLE_HEADER = "X-Helios-Rate-Limit-Store-Unavailable";

    private LimitAnswers() {
    }

    static RateLimiter.Response unlimited() {
        return new RateLimiter.Response(true, Map.of());
    }

    static RateLimiter.Response allowed(long remaining) {
        return new RateLimiter.Response(true, Map.of(REMAINING_HEADER, String.valueOf(Math.max(0, remaining))));
    }

    static RateLimiter.Response refused(long retryAfterSeconds) {
        return new RateLimiter.Response(false, Map.of(RETRY_AFTER_HEADER, String.valueOf(Math.max(1, retryAfterSeconds)),
                REMAINING_HEADER, "0"));
    }

    static RateLimiter.Response storeUnavailable(long retryAfterSeconds) {
        return new RateLimiter.Response(false, Map.of(RETRY_AFTER_HEADER, String.valueOf(Math.max(1, retryAfterSeconds)),
                STORE_UNAVAILABLE_HEADER, "true"));
    }
}
