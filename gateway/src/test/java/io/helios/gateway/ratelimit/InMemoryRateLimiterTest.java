package io.helios.gateway.ratelimit;

import io.helios.gateway.GatewayProperties;
import org.junit.jupiter.api.Test;
import org.springframework.cloud.gateway.filter.ratelimit.RateLimiter;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class InMemoryRateLimiterTest {

    @Test
    void refusesOverTheBurstWithRetryAfterAndCountsEachClientApart() {
        // a stopped clock: nothing refills between the calls
        InMemoryRateLimiter limiter = new InMemoryRateLimiter(true, 2, 1, Clock.fixed(Instant.now(), ZoneOffset.UTC));
        assertThat(limiter.isAllowed("r", "sub:a").block().isAllowed()).isTrue();
        RateLimiter.Response second = limiter.isAllowed("other-route", "sub:a").block();
        assertThat(second.isAllowed()).isTrue();
        assertThat(second.getHeaders()).containsEntry("X-RateLimit-Remaining", "0");
        RateLimiter.Response third = limiter.isAllowed("r", "sub:a").block();
        assertThat(third.isAllowed()).isFalse();
        assertThat(Long.parseLong(third.getHeaders().get("Retry-After"))).isPositive();
        assertThat(limiter.isAllowed("r", "sub:b").block().isAllowed()).isTrue();
    }

    @Test
    void disabledAllowsEverything() {
        InMemoryRateLimiter limiter = new InMemoryRateLimiter(false, 1, 1, Clock.systemUTC());
        for (int i = 0; i < 5; i++) {
            assertThat(limiter.isAllowed("r", "sub:a").block().isAllowed()).isTrue();
        }
    }

    @Test
    void aSharedStoreThatIsNotAvailableRefusesToStart() {
        GatewayProperties redis = new GatewayProperties(new GatewayProperties.RateLimit(true, 10, 5,
                GatewayProperties.RateLimit.Store.REDIS), new GatewayProperties.CircuitBreaker(50, 10,
                Duration.ofSeconds(10), Duration.ofSeconds(35)), org.springframework.util.unit.DataSize.ofMegabytes(1));
        assertThatThrownBy(() -> new RateLimitConfiguration().heliosRateLimiter(redis))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("store=redis");
    }
}
