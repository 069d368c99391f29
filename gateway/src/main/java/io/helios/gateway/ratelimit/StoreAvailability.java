package io.helios.gateway.ratelimit;

import io.helios.gateway.GatewayProperties.RateLimit.OnStoreFailure;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Whether the shared rate limit store answers, as the requests found it: one WARN line when it stops
 * answering (saying what requests meet meanwhile), one INFO line when it answers again, and metrics:
 * {@code helios_gateway_rate_limit_store_available} (1/0), {@code helios_gateway_rate_limit_store_failures_total}
 * (calls that failed or timed out) and {@code helios_gateway_rate_limit_store_unavailable_requests_total{decision}}
 * (requests decided without the store: {@code local} by this replica's own buckets, or {@code refused}).
 * <p>While unavailable, requests skip the store for {@code retryInterval}; then one request tries it
 * again, so an outage costs at most one timeout per interval, not one per request. Thread-safe.
 */
final class StoreAvailability {

    private static final Logger log = LoggerFactory.getLogger(StoreAvailability.class);

    private final String store;
    private final OnStoreFailure onFailure;
    private final Duration retryInterval;
    private final LongSupplier nanoTime;
    private final AtomicBoolean available = new AtomicBoolean(true);
    private final AtomicLong retryAt = new AtomicLong();
    private final Counter failures;
    private final Counter local;
    private final Counter refused;

    StoreAvailability(String store, OnStoreFailure onFailure, Duration retryInterval, MeterRegistry meters,
                      LongSupplier nanoTime) {
        this.store = store;
        this.onFailure = onFailure;
        this.retryInterval = retryInterval;
        this.nanoTime = nanoTime;
        Gauge.builder("helios.gateway.rate.limit.store.available", available, a -> a.get() ? 1 : 0)
                .description("1 while the shared rate limit store answers").register(meters);
        this.failures = Counter.builder("helios.gateway.rate.limit.store.failures")
                .description("calls to the shared rate limit store that failed or timed out").register(meters);
        this.local = unavailableRequests(meters, "local");
        this.refused = unavailableRequests(meters, "refused");
    }

    private static Counter unavailableRequests(MeterRegistry meters, String decision) {
        return Counter.builder("helios.gateway.rate.limit.store.unavailable.requests").tag("decision", decision)
                .description("requests decided without the shared store, which did not answer").register(meters);
    }

    /** Whether this request should ask the store: always while it answers, else one request per retry interval. */
    boolean shouldTry() {
        if (available.get()) {
            return true;
        }
        long now = nanoTime.getAsLong();
        long at = retryAt.get();
        return now - at >= 0 && retryAt.compareAndSet(at, now + retryInterval.toNanos());
    }

    void answered() {
        if (available.compareAndSet(false, true)) {
            log.info("rate limit store {} answers again: limits are shared by every gateway replica again", store);
        }
    }

    void failed(Throwable cause) {
        failures.increment();
        retryAt.set(nanoTime.getAsLong() + retryInterval.toNanos());
        if (available.compareAndSet(true, false)) {
            log.warn("rate limit store {} is unavailable ({}): {} until it answers (helios.gateway.rate-limit"
                            + ".on-store-failure={}); trying again every {} s", store, describe(cause),
                    onFailure == OnStoreFailure.ALLOW
                            ? "requests are allowed, limited by this gateway replica's own in-memory buckets"
                            : "requests are refused with 503",
                    onFailure.name().toLowerCase(Locale.ROOT), retryInterval.toSeconds());
        }
        log.debug("rate limit store {} failed", store, cause);
    }

    /** Counts a request decided without the store: {@code local} or {@code refused}. */
    void decidedWithout(String decision) {
        ("refused".equals(decision) ? refused : local).increment();
    }

    boolean available() {
        return available.get();
    }

    private static String describe(Throwable cause) {
        Throwable root = cause;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage();
        return root.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }
}
