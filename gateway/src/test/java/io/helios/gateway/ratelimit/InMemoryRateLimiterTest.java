package io.helios.gateway.ratelimit;

import org.junit.jupiter.api.Test;
import org.springframework.cloud.gateway.filter.ratelimit.RateLimiter;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;

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
}
