package io.helios.controlplane.lease;

import io.helios.controlplane.HeliosProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@link LeaseExpiry#expireNow()} every {@code helios.leases.expiry-interval} (default a
 * third of the ttl), so the status shows replications unleased and the lease metrics move even
 * when every worker is gone. Owns one daemon thread; {@link #stop()} ends it with a bound.
 */
@Component
class LeaseExpiryScheduler implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(LeaseExpiryScheduler.class);

    private final LeaseExpiry expiry;
    private final Duration period;
    private volatile ScheduledExecutorService executor;

    LeaseExpiryScheduler(LeaseExpiry expiry, HeliosProperties properties) {
        this.expiry = expiry;
        this.period = properties.leases().expiryPeriod();
    }

    @Override
    public void start() {
        ScheduledExecutorService e = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "helios-lease-expiry");
            t.setDaemon(true);
            return t;
        });
        e.scheduleWithFixedDelay(this::run, period.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
        executor = e;
        log.info("expiring leases of silent workers every {}", period);
    }

    private void run() {
        try {
            expiry.expireNow();
        } catch (RuntimeException e) {
            // the database may be briefly away; the next run (or the next heartbeat) expires them
            log.warn("scheduled lease expiry failed: {}", e.getMessage());
        }
    }

    @Override
    public void stop() {
        ScheduledExecutorService e = executor;
        executor = null;
        if (e != null) {
            e.shutdownNow();
            try {
                e.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public boolean isRunning() {
        return executor != null;
    }
}
