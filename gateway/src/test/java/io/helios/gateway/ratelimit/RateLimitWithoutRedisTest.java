package io.helios.gateway.ratelimit;

import io.helios.security.Role;
import io.helios.testsupport.TestTokens;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Without a Redis (its configured port closed): the memory store limits as before and the gateway is
 * healthy; the Redis store, unable to reach it, allows under this replica's buckets by default,
 * or refuses with a 503 problem when so configured, and says so in its metrics.
 */
class RateLimitWithoutRedisTest {

    private static String redisNowhere() {
        return "spring.data.redis.port=" + GatewayUnderTest.closedPort();
    }

    private static String caller() {
        return TestTokens.mint("caller-" + UUID.randomUUID(), Role.VIEWER, null);
    }

    /**
     * Calls until refused: the first {@code capacity} pass, and a refusal comes well before the 1 per
     * second refill could pay for all of them (a request here takes a few hundred ms).
     */
    private static HttpResponse<String> spendUntilRefused(GatewayUnderTest gateway, String token, int capacity) {
        HttpResponse<String> last = null;
        for (int i = 0; i < 4 * capacity; i++) {
            last = gateway.call(token);
            if (last.statusCode() == 429) {
                assertThat(i).as("requests passed before the first refusal").isGreaterThanOrEqualTo(capacity);
                return last;
            }
        }
        throw new AssertionError("no 429 after " + 4 * capacity + " requests with a burst of " + capacity);
    }

    @Test
    void theMemoryStoreLimitsAndTheGatewayStaysHealthyWithoutRedis() {
        try (GatewayUnderTest gateway = GatewayUnderTest.start("helios.gateway.rate-limit.capacity=3",
                "helios.gateway.rate-limit.refill-per-second=1", redisNowhere())) {
            HttpResponse<String> refused = spendUntilRefused(gateway, caller(), 3);
            assertThat(refused.headers().firstValue("Retry-After")).hasValue("1");
            assertThat(refused.body()).contains("rate-limited");
            assertThat(gateway.call(caller()).statusCode()).isNotEqualTo(429);
            assertThat(gateway.get("/actuator/health", null).statusCode()).isEqualTo(200);
            assertThat(gateway.context.getBeansOfType(MeterRegistry.class).values().iterator().next()
                    .find("helios.gateway.rate.limit.store.available").gauge()).isNull();
        }
    }

    @Test
    void anUnreachableRedisAllowsUnderThisReplicasBucketsByDefault() {
        try (GatewayUnderTest gateway = GatewayUnderTest.start("helios.gateway.rate-limit.store=redis",
                "helios.gateway.rate-limit.capacity=3", "helios.gateway.rate-limit.refill-per-second=1", redisNowhere())) {
            spendUntilRefused(gateway, caller(), 3);
            assertThat(gateway.get("/actuator/health", null).statusCode()).isEqualTo(200);
            MeterRegistry meters = gateway.context.getBean(MeterRegistry.class);
            assertThat(meters.get("helios.gateway.rate.limit.store.available").gauge().value()).isZero();
            assertThat(meters.get("helios.gateway.rate.limit.store.failures").counter().count()).isPositive();
            assertThat(meters.get("helios.gateway.rate.limit.store.unavailable.requests").tag("decision", "local")
                    .counter().count()).isGreaterThanOrEqualTo(4);
        }
    }

    @Test
    void anUnreachableRedisRefusesWith503WhenConfiguredTo() {
        try (GatewayUnderTest gateway = GatewayUnderTest.start("helios.gateway.rate-limit.store=redis",
                "helios.gateway.rate-limit.on-store-failure=refuse", redisNowhere())) {
            HttpResponse<String> refused = gateway.call(caller());
            assertThat(refused.statusCode()).isEqualTo(503);
            assertThat(refused.headers().firstValue("Content-Type")).hasValue("application/problem+json");
            assertThat(refused.headers().firstValue("Retry-After")).isPresent();
            assertThat(refused.headers().firstValue(LimitAnswers.STORE_UNAVAILABLE_HEADER)).isEmpty();
            assertThat(refused.body()).contains("\"status\":503", "rate limit store does not answer");
            MeterRegistry meters = gateway.context.getBean(MeterRegistry.class);
            assertThat(meters.get("helios.gateway.rate.limit.store.unavailable.requests").tag("decision", "refused")
                    .counter().count()).isPositive();
        }
    }
}
