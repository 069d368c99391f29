package io.helios.gateway.ratelimit;

import io.helios.gateway.GatewayProperties.RateLimit;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RedisRateLimitConfigurationTest {

    private static RateLimit redis(int capacity, int refillPerSecond) {
        return new RateLimit(true, capacity, refillPerSecond, RateLimit.Store.REDIS, RateLimit.OnStoreFailure.ALLOW,
                Duration.ofMillis(500), Duration.ofSeconds(5), "helios:rate-limit");
    }

    @Test
    void aBurstUnderHalfTheRateIsRefusedWithRedisWhichWouldKeepNoBucket() {
        assertThatThrownBy(() -> RedisRateLimitConfiguration.requireKeptLongEnough(redis(2, 5)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("capacity (2)");
        assertThatCode(() -> RedisRateLimitConfiguration.requireKeptLongEnough(redis(100, 20))).doesNotThrowAnyException();
        assertThatCode(() -> RedisRateLimitConfiguration.requireKeptLongEnough(redis(3, 6))).doesNotThrowAnyException();
    }
}
