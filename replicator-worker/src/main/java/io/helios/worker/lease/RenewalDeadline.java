package io.helios.worker.lease;

import java.time.Duration;
import java.time.Instant;

/**
 * When this worker must stop applying because it could not renew its leases. The control plane
 * expires a lease one TTL after the last heartbeat it received; the worker counts from when it
 * sent its last successful heartbeat (never later than the control plane received it) and stops
 * at {@code ttl - margin}, so its runners are stopping before the leases can be given away. The
 * TTL is the one the control plane granted in its last answer, the configured one until then.
 * Thread-safe.
 */
final class RenewalDeadline {

    private final Duration margin;
    private volatile Duration ttl;
    private volatile Instant lastRenewal;

    /** @param margin how long before the TTL to stop; null means a third of the TTL */
    RenewalDeadline(Duration initialTtl, Duration margin, Instant start) {
        this.ttl = initialTtl;
        this.margin = margin;
        this.lastRenewal = start;
    }

    /** A heartbeat sent at {@code sentAt} was answered, granting leases for {@code grantedTtlMillis} (0: unchanged). */
    void renewed(Instant sentAt, long grantedTtlMillis) {
        if (grantedTtlMillis > 0) {
            ttl = Duration.ofMillis(grantedTtlMillis);
        }
        lastRenewal = sentAt;
    }

    Duration ttl() {
        return ttl;
    }

    /** How long after the last renewal the worker stops applying: {@code ttl - margin}, at least a third of the TTL. */
    Duration stopAfter() {
        Duration t = ttl;
        Duration m = margin != null ? margin : t.dividedBy(3);
        Duration d = t.minus(m);
        return d.compareTo(t.dividedBy(3)) < 0 ? t.dividedBy(3) : d;
    }

    Duration silentFor(Instant now) {
        return Duration.between(lastRenewal, now);
    }

    /** Whether the leases went unrenewed for longer than {@link #stopAfter()}. */
    boolean passed(Instant now) {
        return silentFor(now).compareTo(stopAfter()) > 0;
    }
}
