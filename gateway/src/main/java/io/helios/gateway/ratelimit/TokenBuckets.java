package io.helios.gateway.ratelimit;

import java.time.Clock;
import java.util.concurrent.ConcurrentHashMap;

/**
 * In-memory token buckets, one per client key: each holds up to {@code capacity} tokens and
 * regains {@code refillPerSecond} per second; a request takes one. Buckets that are full again are
 * dropped from time to time, so memory follows the number of recently active clients. Per gateway
 * instance: with N replicas a client gets up to N times the rate. Thread-safe.
 */
public final class TokenBuckets {

    private static final long PRUNE_EVERY_NANOS = 60_000_000_000L;

    private final int capacity;
    private final double refillPerNano;
    private final Clock clock;
    private final ConcurrentHashMap<String, Bucket> buckets = new ConcurrentHashMap<>();
    private volatile long lastPrune;

    public TokenBuckets(int capacity, int refillPerSecond, Clock clock) {
        this.capacity = capacity;
        this.refillPerNano = refillPerSecond / 1e9;
        this.clock = clock;
        this.lastPrune = nanos();
    }

    /** Takes a token for {@code key}: answers 0 when granted, else the seconds to wait before the next one (at least 1). */
    public long take(String key) {
        long now = nanos();
        prune(now);
        Bucket b = buckets.computeIfAbsent(key, k -> new Bucket(capacity, now));
        synchronized (b) {
            b.refill(now, capacity, refillPerNano);
            if (b.tokens >= 1) {
                b.tokens -= 1;
                return 0;
            }
            double missingNanos = (1 - b.tokens) / refillPerNano;
            return Math.max(1, (long) Math.ceil(missingNanos / 1e9));
        }
    }

    /** Tokens left for {@code key} (whole), for the {@code X-RateLimit-Remaining} header. */
    public long remaining(String key) {
        Bucket b = buckets.get(key);
        if (b == null) {
            return capacity;
        }
        synchronized (b) {
            return (long) Math.floor(b.tokens);
        }
    }

    int size() {
        return buckets.size();
    }

    private void prune(long now) {
        if (now - lastPrune < PRUNE_EVERY_NANOS) {
            return;
        }
        lastPrune = now;
        buckets.entrySet().removeIf(e -> {
            synchronized (e.getValue()) {
                e.getValue().refill(now, capacity, refillPerNano);
                return e.getValue().tokens >= capacity;
            }
        });
    }

    private long nanos() {
        return clock.millis() * 1_000_000L;
    }

    private static final class Bucket {
        double tokens;
        long at;

        Bucket(double tokens, long at) {
            this.tokens = tokens;
            this.at = at;
        }

        void refill(long now, int capacity, double perNano) {
            if (now > at) {
                tokens = Math.min(capacity, tokens + (now - at) * perNano);
                at = now;
            }
        }
    }
}
