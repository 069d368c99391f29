package io.helios.failover.decision;

import io.helios.failover.FailoverProperties;
import io.helios.failover.ObserverIdentity;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import java.util.Optional;

/**
 * The one failover-service replica that acts: a row in {@code leader_lease} with a holder and an
 * expiry, taken or renewed by one conditional upsert (the holder renews; anyone takes it once it
 * expired; the epoch grows with every change of holder), timed by the database's clock so replicas'
 * clocks do not matter. The others only observe. Thread-safe.
 */
@Component
public class LeaderLease {

    private static final Logger log = LoggerFactory.getLogger(LeaderLease.class);
    private static final String NAME = "failover-decider";

    private final JdbcClient jdbc;
    private final ObserverIdentity me;
    private final long ttlMillis;
    private volatile boolean leader;

    public LeaderLease(JdbcClient jdbc, ObserverIdentity me, FailoverProperties properties) {
        this.jdbc = jdbc;
        this.me = me;
        this.ttlMillis = properties.decision().leaderLease().toMillis();
    }

    /** Takes or renews the lease; answers whether this replica holds it now. */
    public boolean acquire() {
        Optional<Long> epoch;
        try {
            epoch = jdbc.sql("INSERT INTO leader_lease AS l (name, holder, epoch, expires_at)"
                            + " VALUES (:n, :me, 1, clock_timestamp() + make_interval(secs => :ttl / 1000.0))"
                            + " ON CONFLICT (name) DO UPDATE SET holder = EXCLUDED.holder,"
                            + " epoch = CASE WHEN l.holder = EXCLUDED.holder THEN l.epoch ELSE l.epoch + 1 END,"
                            + " expires_at = EXCLUDED.expires_at"
                            + " WHERE l.holder = EXCLUDED.holder OR l.expires_at < clock_timestamp()"
                            + " RETURNING epoch")
                    .param("n", NAME).param("me", me.id()).param("ttl", ttlMillis).query(Long.class).optional();
        } catch (RuntimeException e) {
            log.debug("leader lease not renewed: {}", e.getMessage());
            epoch = Optional.empty();
        }
        boolean now = epoch.isPresent();
        if (now != leader) {
            if (now) {
                log.info("observer {} acts for the failover service (leader epoch {})", me.id(), epoch.get());
            } else {
                log.info("observer {} no longer acts (another replica holds the lease)", me.id());
            }
        }
        leader = now;
        return now;
    }

    public boolean isLeader() {
        return leader;
    }

    /** Gives the lease up (shutdown), so another replica acts without waiting for the expiry. */
    public void release() {
        try {
            jdbc.sql("DELETE FROM leader_lease WHERE name = :n AND holder = :me").param("n", NAME).param("me", me.id()).update();
        } catch (RuntimeException e) {
            log.debug("leader lease not released: {}", e.getMessage());
        }
        leader = false;
    }
}
