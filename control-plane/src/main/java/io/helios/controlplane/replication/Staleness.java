package io.helios.controlplane.replication;

import io.helios.controlplane.HeliosProperties;

import java.time.Duration;
import java.time.Instant;

/**
 * Whether an ACTIVE replication's status can be trusted: it is stale when its lease holder has
 * not reported for longer than the bound (from its start when it never reported), which is what
 * an operator sees when every worker died. Pure.
 *
 * @param stale           ACTIVE and silent past the bound
 * @param lastReportAgeMs age of the last report now, null when there is none
 */
public record Staleness(boolean stale, Long lastReportAgeMs) {

    /** {@code helios.wal-guard.stale-after}, or three lease TTLs when unset. */
    public static Duration bound(HeliosProperties properties) {
        Duration configured = properties.walGuard().staleAfter();
        return configured != null ? configured : properties.leases().ttl().multipliedBy(3);
    }

    /**
     * @param lastReportAt the last report of a lease holder, null when none since the last start
     * @param activeSince  when the replication last changed state (its start, when it never reported)
     */
    public static Staleness of(ReplicationState state, Instant lastReportAt, Instant activeSince, Instant now,
                               Duration bound) {
        Long age = lastReportAt == null ? null : Math.max(0, Duration.between(lastReportAt, now).toMillis());
        if (!state.isActive()) {
            return new Staleness(false, age);
        }
        Instant reference = lastReportAt != null ? lastReportAt : activeSince;
        return new Staleness(reference != null && Duration.between(reference, now).compareTo(bound) > 0, age);
    }
}
