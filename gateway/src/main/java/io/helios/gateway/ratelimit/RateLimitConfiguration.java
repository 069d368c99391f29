package io.helios.gateway.ratelimit;

import io.helios.gateway.GatewayProperties;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.cloud.gateway.filter.ratelimit.KeyResolver;
import org.springframework.cloud.gateway.filter.ratelimit.RateLimiter;
import org.springframework.cloud.gateway.filter.ratelimit.RedisRateLimiter;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;
import org.springframework.data.redis.connection.ReactiveRedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;

import java.time.Clock;
import java.util.List;
import tools.jackson.databind.json.JsonMapper;

/**
 * The beans the {@code RequestRateLimiter} default filter (gateway.yml) names: {@code heliosRateLimiter}
 * and {@code heliosKeyResolver}. {@code helios.gateway.rate-limit.store} chooses where the buckets
 * live: {@code memory} (default, per replica: {@link InMemoryRateLimiter}) or {@code redis} (shared by
 * every replica: {@link SharedRateLimiter}, on the connection Spring Boot configures from
 * {@code spring.data.redis.*}, with Spring Cloud Gateway's token-bucket script). With {@code memory}
 * nothing connects to Redis.
 * <p>{@code heliosRateLimiter} is primary: Spring Cloud Gateway also defines its own
 * {@code redisRateLimiter} once Redis is on the classpath, unused here.
 */
@Configuration(proxyBeanMethods = false)
class RateLimitConfiguration {

    private static final Logger log = LoggerFactory.getLogger(RateLimitConfiguration.class);

    @Bean
    @Primary
    RateLimiter<?> heliosRateLimiter(GatewayProperties properties, ObjectProvider<ReactiveStringRedisTemplate> redis,
                                     @Qualifier(RedisRateLimiter.REDIS_SCRIPT_NAME) ObjectProvider<RedisScript<List<Long>>> script,
                                     ObjectProvider<ReactiveRedisConnectionFactory> connections, MeterRegistry meters) {
        GatewayProperties.RateLimit limit = properties.rateLimit();
        InMemoryRateLimiter memory = new InMemoryRateLimiter(limit.enabled(), limit.capacity(), limit.refillPerSecond(),
                Clock.systemUTC());
        if (limit.store() == GatewayProperties.RateLimit.Store.MEMORY) {
            log.info("rate limit {}: {} requests burst, {} per second per client, in memory (per gateway replica)",
                    limit.enabled() ? "on" : "off", limit.capacity(), limit.refillPerSecond());
            return memory;
        }
        ReactiveStringRedisTemplate template = redis.getIfAvailable();
        RedisScript<List<Long>> bucketScript = script.getIfAvailable();
        if (template == null || bucketScript == null) {
            throw new IllegalStateException("helios.gateway.rate-limit.store=redis needs Spring Boot's reactive Redis"
                    + " template and Spring Cloud Gateway's " + RedisRateLimiter.REDIS_SCRIPT_NAME + " bean; is"
                    + " spring.cloud.gateway.server.webflux.redis.enabled false?");
        }
        String store = "redis " + describe(connections.getIfAvailable());
        StoreAvailability availability = new StoreAvailability(store, limit.onStoreFailure(),
                limit.storeRetryInterval(), meters, System::nanoTime);
        log.info("rate limit {}: {} requests burst, {} per second per client, shared in {} under key prefix '{}';"
                        + " while it does not answer: {}", limit.enabled() ? "on" : "off", limit.capacity(),
                limit.refillPerSecond(), store, limit.keyPrefix(), limit.onStoreFailure().name().toLowerCase());
        return new SharedRateLimiter(limit.enabled(), limit.capacity(), limit.refillPerSecond(), template, bucketScript,
                limit.keyPrefix(), limit.storeTimeout(), limit.onStoreFailure(), memory, availability,
                limit.storeRetryInterval());
    }

    private static String describe(ReactiveRedisConnectionFactory factory) {
        // never the password: host, port and database only
        return factory instanceof LettuceConnectionFactory lettuce
                ? lettuce.getHostName() + ":" + lettuce.getPort() + "/" + lettuce.getDatabase() : "(connection factory)";
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
