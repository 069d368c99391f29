package io.helios.gateway.ratelimit;

import io.helios.gateway.GatewayProperties.RateLimit.OnStoreFailure;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class StoreAvailabilityTest {

    private final AtomicLong now = new AtomicLong(1_000);
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final StoreAvailability store = new StoreAvailability("redis test", OnStoreFailure.ALLOW,
            Duration.ofSeconds(5), meters, now::get);

    private double available() {
        return meters.get("helios.gateway.rate.limit.store.available").gauge().value();
    }

    @Test
    void afterAFailureOneRequestPerIntervalTriesTheStoreAgain() {
        assertThat(store.shouldTry()).isTrue();
        store.failed(new IOException("connection refused"));
        assertThat(available()).isZero();
        assertThat(store.shouldTry()).isFalse();
        now.addAndGet(Duration.ofSeconds(5).toNanos());
        assertThat(store.shouldTry()).as("the first request after the interval").isTrue();
        assertThat(store.shouldTry()).as("the next one, while the first tries").isFalse();
        store.answered();
        assertThat(available()).isEqualTo(1);
        assertThat(store.shouldTry()).isTrue();
        assertThat(meters.get("helios.gateway.rate.limit.store.failures").counter().count()).isEqualTo(1);
    }
}
