package io.helios.gateway.ratelimit;

import io.helios.gateway.GatewayProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.cloud.gateway.filter.ratelimit.KeyResolver;
import org.springframework.cloud.gateway.filter.ratelimit.RateLimiter;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;

import java.time.Clock;
import tools.jackson.databind.json.JsonMapper;

/**
 * The beans the {@code RequestRateLimiter} default filter (gateway.yml) names: {@code heliosRateLimiter}
 * and {@code heliosKeyResolver}. {@code helios.gateway.rate-limit.store} chooses where the buckets
 * live: {@code memory} (default, per replica: {@link InMemoryRateLimiter}, here) or {@code redis}
 * (shared by every replica: {@link RedisRateLimitConfiguration}). With {@code memory} nothing touches
 * Redis, not even its classes: the one-JVM local stack leaves the Redis client off its classpath
 * (a second Spring Data module there would put the control plane's JDBC repositories in strict mode).
 * <p>{@code heliosRateLimiter} is primary: Spring Cloud Gateway also defines its own
 * {@code redisRateLimiter} once Redis is on the classpath, unused here.
 */
@Configuration(proxyBeanMethods = false)
class RateLimitConfiguration {

    static final String STORE = "helios.gateway.rate-limit.store";
    private static final Logger log = LoggerFactory.getLogger(RateLimitConfiguration.class);

    @Bean
    @Primary
    @ConditionalOnProperty(name = STORE, havingValue = "memory", matchIfMissing = true)
    RateLimiter<?> heliosRateLimiter(GatewayProperties properties) {
        GatewayProperties.RateLimit limit = properties.rateLimit();
        log.info("rate limit {}: {} requests burst, {} per second per client, in memory (per gateway replica)",
                limit.enabled() ? "on" : "off", limit.capacity(), limit.refillPerSecond());
        return memory(limit);
    }

    /** Buckets in this JVM: the memory store, and the Redis store's fallback. */
    static InMemoryRateLimiter memory(GatewayProperties.RateLimit limit) {
        return new InMemoryRateLimiter(limit.enabled(), limit.capacity(), limit.refillPerSecond(), Clock.systemUTC());
    }

    @Bean
    KeyResolver heliosKeyResolver() {
        return new ClientKeyResolver();
    }

    @Bean
    RateLimitProblemFilter rateLimitProblemFilter(JsonMapper json) {
        return new RateLimitProblemFilter(json);
    }
}
