package io.helios.failover.health;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/** One observer's current view of one endpoint: healthy or not, since when, as of when. */
public record Observation(UUID endpointId, String observerId, boolean reachable, Instant since, Instant observedAt,
                          String lastError) {

    /** Whether the observer looked recently enough to count. */
    public boolean fresh(Instant now, Duration maxAge) {
        return !observedAt.isBefore(now.minus(maxAge));
    }

    /** Whether it has seen the endpoint down for at least {@code threshold}. */
    public boolean downFor(Instant now, Duration threshold) {
        return !reachable && !since.isAfter(now.minus(threshold));
    }
}
