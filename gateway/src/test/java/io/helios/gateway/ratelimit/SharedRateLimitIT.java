package io.helios.gateway.ratelimit;

import io.helios.security.Role;
import io.helios.testsupport.TestTokens;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two gateways in one JVM share the real Redis on 127.0.0.1:6379 (.ci/run starts one) under a key
 * prefix of their own for this run: a caller's budget spent through one is spent at the other.
 * Tokens refill at 1 per second with a burst of 30, spent at once through the first gateway, so a
 * gateway with buckets of its own would let 30 more requests through; the shared bucket has at most
 * the few seconds of refill left.
 */
class SharedRateLimitIT {

    private static final int CAPACITY = 30;
    private static final String PREFIX = "helios-test:" + UUID.randomUUID();
    private static GatewayUnderTest first;
    private static GatewayUnderTest second;

    @BeforeAll
    static void start() {
        requireRedis();
        String[] shared = {"helios.gateway.rate-limit.store=redis",
                "helios.gateway.rate-limit.capacity=" + CAPACITY,
                "helios.gateway.rate-limit.refill-per-second=1",
                "helios.gateway.rate-limit.key-prefix=" + PREFIX,
                // this test is about sharing: a loaded machine's slow first calls must not switch to local buckets
                "helios.gateway.rate-limit.store-timeout=10s",
                "spring.data.redis.host=127.0.0.1", "spring.data.redis.port=6379"};
        first = GatewayUnderTest.start(shared);
        second = GatewayUnderTest.start(shared);
        for (GatewayUnderTest gateway : List.of(first, second)) {
            gateway.call(TestTokens.mint("warm-up-" + UUID.randomUUID(), Role.VIEWER, null));
            assertThat(gateway.context.getBean(MeterRegistry.class).get("helios.gateway.rate.limit.store.available")
                    .gauge().value()).as("Redis answers the gateway").isEqualTo(1);
        }
    }

    @AfterAll
    static void stop() {
        if (first != null) {
            ReactiveStringRedisTemplate redis = first.context.getBean(ReactiveStringRedisTemplate.class);
            redis.keys(PREFIX + ":*").flatMap(redis::delete).blockLast(Duration.ofSeconds(10));
            first.close();
        }
        if (second != null) {
            second.close();
        }
    }

    private static void requireRedis() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", 6379), 500);
        } catch (IOException e) {
            throw new IllegalStateException("no Redis answers on 127.0.0.1:6379 (.ci/run starts one, or"
                    + " `redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save \"\" --appendonly no`)", e);
        }
    }

    @Test
    void aCallersBudgetSpentAtOneGatewayIsSpentAtTheOther() {
        String caller = TestTokens.mint("shared-" + UUID.randomUUID(), Role.ADMIN, null);
        assertThat(first.callAtOnce(caller, CAPACITY)).as("the burst through the first gateway").doesNotContain(429);
        int passedAtSecond = 0;
        HttpResponse<String> refused = second.call(caller);
        while (refused.statusCode() != 429 && passedAtSecond < CAPACITY) {
            passedAtSecond++;
            refused = second.call(caller);
        }
        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(passedAtSecond).as("requests the second gateway let through").isLessThan(CAPACITY / 3);
        assertThat(refused.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(refused.headers().firstValue("Retry-After")).hasValue("1");
        assertThat(refused.headers().firstValue("X-RateLimit-Remaining")).hasValue("0");
        assertThat(refused.body()).contains("\"status\":429", "rate-limited", "request rate limit reached");
    }

    @Test
    void eachCallerHasABudgetOfItsOwn() {
        String spender = TestTokens.mint("spender-" + UUID.randomUUID(), Role.VIEWER, null);
        first.callAtOnce(spender, CAPACITY);
        HttpResponse<String> last = first.call(spender);
        for (int i = 0; i < CAPACITY / 3 && last.statusCode() != 429; i++) {
            last = first.call(spender);
        }
        assertThat(last.statusCode()).isEqualTo(429);
        HttpResponse<String> other = second.call(TestTokens.mint("other-" + UUID.randomUUID(), Role.VIEWER, null));
        assertThat(other.statusCode()).isNotEqualTo(429);
        assertThat(other.headers().firstValue("X-RateLimit-Remaining")).hasValue(String.valueOf(CAPACITY - 1));
    }
}
