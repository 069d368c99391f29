package io.helios.worker.lease;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class RenewalDeadlineTest {

    private static final Instant T0 = Instant.parse("2030-01-01T00:00:00Z");

    @Test
    void stopsAtTwoThirdsOfTheGrantedTtlByDefault() {
        RenewalDeadline d = new RenewalDeadline(Duration.ofSeconds(60), null, T0);
        d.renewed(T0, 15_000);
        assertThat(d.ttl()).isEqualTo(Duration.ofSeconds(15));
        assertThat(d.stopAfter()).isEqualTo(Duration.ofSeconds(10));
        assertThat(d.passed(T0.plusSeconds(10))).isFalse();
        assertThat(d.passed(T0.plusMillis(10_001))).isTrue();
    }

    @Test
    void countsFromWhenTheLastAnsweredBeatWasSent() {
        RenewalDeadline d = new RenewalDeadline(Duration.ofSeconds(15), null, T0);
        d.renewed(T0.plusSeconds(8), 0);
        assertThat(d.ttl()).as("an answer without a ttl keeps the last one").isEqualTo(Duration.ofSeconds(15));
        assertThat(d.passed(T0.plusSeconds(17))).isFalse();
        assertThat(d.passed(T0.plusSeconds(19))).isTrue();
    }

    @Test
    void aConfiguredMarginIsHonouredButNeverLeavesLessThanAThird() {
        assertThat(new RenewalDeadline(Duration.ofSeconds(15), Duration.ofSeconds(3), T0).stopAfter())
                .isEqualTo(Duration.ofSeconds(12));
        assertThat(new RenewalDeadline(Duration.ofSeconds(15), Duration.ofSeconds(30), T0).stopAfter())
                .isEqualTo(Duration.ofSeconds(5));
    }
}
