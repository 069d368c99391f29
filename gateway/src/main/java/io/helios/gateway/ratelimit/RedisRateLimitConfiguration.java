package io.helios.gateway.ratelimit;

import io.helios.gateway.GatewayProperties;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.cloud.gateway.filter.ratelimit.RateLimiter;
import org.springframework.cloud.gateway.filter.ratelimit.RedisRateLimiter;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;
import org.springframework.data.redis.connection.ReactiveRedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;

import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import java.util.List;
import java.util.Locale;

/**
 * {@code heliosRateLimiter} for {@code helios.gateway.rate-limit.store=redis}: {@link SharedRateLimiter}
 * on the connection Spring Boot configures from {@code spring.data.redis.*}, with Spring Cloud
 * Gateway's token-bucket script, falling back on this replica's {@link InMemoryRateLimiter} as
 * {@code on-store-failure} says. Only this class and {@link SharedRateLimiter} name Redis types, so
 * that without {@code store=redis} none is loaded.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = RateLimitConfiguration.STORE, havingValue = "redis")
class RedisRateLimitConfiguration {

    private static final Logger log = LoggerFactory.getLogger(RedisRateLimitConfiguration.class);

    @Bean
    @Primary
    RateLimiter<?> heliosRateLimiter(GatewayProperties properties, ObjectProvider<ReactiveStringRedisTemplate> redis,
                                     @Qualifier(RedisRateLimiter.REDIS_SCRIPT_NAME) ObjectProvider<RedisScript<List<Long>>> script,
                                     ObjectProvider<ReactiveRedisConnectionFactory> connections, MeterRegistry meters) {
        GatewayProperties.RateLimit limit = properties.rateLimit();
        requireKeptLongEnough(limit);
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
        String onFailure = limit.onStoreFailure().name().toLowerCase(Locale.ROOT);
        log.info("rate limit {}: {} requests burst, {} per second per client, shared in {} under key prefix '{}';"
                        + " while it does not answer: {}", limit.enabled() ? "on" : "off", limit.capacity(),
                limit.refillPerSecond(), store, limit.keyPrefix(), onFailure);
        connectNow(template, availability);
        return new SharedRateLimiter(limit.enabled(), limit.capacity(), limit.refillPerSecond(), template, bucketScript,
                limit.keyPrefix(), limit.storeTimeout(), limit.onStoreFailure(), RateLimitConfiguration.memory(limit),
                availability, limit.storeRetryInterval());
    }

    /**
     * Connects at start, in the background: otherwise the first requests pay for the connection and,
     * past {@code store-timeout}, find the store unavailable; and an unreachable Redis is logged at once.
     */
    private static void connectNow(ReactiveStringRedisTemplate template, StoreAvailability availability) {
        Mono.defer(() -> template.execute(connection -> connection.ping()).next())
                .subscribeOn(Schedulers.boundedElastic())
                .subscribe(pong -> availability.answered(), availability::failed);
    }

    /**
     * The token-bucket script keeps a bucket for {@code floor(2 * capacity / refill)} seconds and stores
     * nothing when that is 0: with a burst under half the per-second rate nobody would ever be limited.
     */
    static void requireKeptLongEnough(GatewayProperties.RateLimit limit) {
        if (2L * limit.capacity() < limit.refillPerSecond()) {
            throw new IllegalStateException("helios.gateway.rate-limit.capacity (" + limit.capacity() + ") must be at"
                    + " least half of refill-per-second (" + limit.refillPerSecond() + ") with store=redis: Redis keeps"
                    + " a bucket for 2 x capacity / refill-per-second seconds, and under 1 s it would limit no one");
        }
    }

    private static String describe(ReactiveRedisConnectionFactory factory) {
        // never the password: host, port and database only
        return factory instanceof LettuceConnectionFactory lettuce
                ? lettuce.getHostName() + ":" + lettuce.getPort() + "/" + lettuce.getDatabase() : "(connection factory)";
    }
}
