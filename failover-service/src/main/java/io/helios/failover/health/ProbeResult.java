package io.helios.failover.health;

import java.time.Instant;
import java.util.UUID;

/**
 * One probe of one endpoint by one observer: whether it answered {@code SELECT 1} ({@code reachable})
 * and committed a write ({@code writable}), how long that took, and the error when it did not.
 */
public record ProbeResult(UUID endpointId, String observerId, Instant at, boolean reachable, boolean writable,
                          double latencyMs, String error) {

    public boolean healthy() {
        return reachable && writable;
    }
}
