package io.helios.gateway.ratelimit;

import io.helios.gateway.GatewayProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.cloud.gateway.filter.ratelimit.KeyResolver;
import org.springframework.cloud.gateway.filter.ratelimit.RateLimiter;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.time.Clock;
import tools.jackson.databind.json.JsonMapper;

/**
 * The beans the {@code RequestRateLimiter} default filter (gateway.yml) names: {@code heliosRateLimiter}
 * and {@code heliosKeyResolver}. {@code helios.gateway.rate-limit.store} chooses where the buckets
 * live: {@code memory} (default, per replica) or {@code redis} (shared by every replica).
 * <p>TODO(redis): the reactive Redis starter ({@code spring-boot-starter-data-redis-reactive}) is not
 * in the build's offline repository yet. Once it is a gateway dependency, Spring Cloud Gateway
 * auto-configures its {@code RedisRateLimiter}; return it here (replenish rate = refill-per-second,
 * burst = capacity) for {@code store=redis}. Until then {@code store=redis} refuses to start rather
 * than silently limiting per replica.
 */
@Configuration(proxyBeanMethods = false)
class RateLimitConfiguration {

    private static final Logger log = LoggerFactory.getLogger(RateLimitConfiguration.class);

    @Bean
    RateLimiter<?> heliosRateLimiter(GatewayProperties properties) {
        GatewayProperties.RateLimit limit = properties.rateLimit();
        if (limit.store() == GatewayProperties.RateLimit.Store.REDIS) {
            throw new IllegalStateException("helios.gateway.rate-limit.store=redis needs the reactive Redis client on the"
                    + " gateway's classpath, which this build does not include yet; use store=memory (per replica)");
        }
        log.info("rate limit {}: {} requests burst, {} per second per client, in memory (per gateway replica)",
                limit.enabled() ? "on" : "off", limit.capacity(), limit.refillPerSecond());
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
