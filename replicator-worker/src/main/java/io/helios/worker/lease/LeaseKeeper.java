package io.helios.worker.lease;

import io.helios.core.lease.Heartbeat;
import io.helios.worker.config.WorkerProperties;
import io.helios.worker.replication.ReplicationSupervisor;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Keeps this worker's leases: heartbeats the control plane on an interval (or at once when an
 * assignment event arrives), hands the answer to the {@link ReplicationSupervisor}, and stops
 * every replication itself when it could not renew its leases for a whole lease TTL (the
 * control plane has given them away by then; the target's checkpoint epoch refuses a zombie
 * anyway). Owns one thread; {@link #stop()} ends it with a bounded wait.
 */
@Component
public class LeaseKeeper implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(LeaseKeeper.class);

    private final ControlPlaneClient client;
    private final ReplicationSupervisor supervisor;
    private final WorkerProperties.Worker config;
    private final Clock clock;
    private final String workerId;
    private final Semaphore wakeUp = new Semaphore(0);
    private final Counter failures;
    private volatile Thread thread;
    private volatile boolean running;
    private volatile Instant lastRenewal;
    private volatile Duration interval;

    public LeaseKeeper(ControlPlaneClient client, ReplicationSupervisor supervisor, WorkerProperties properties,
                       MeterRegistry meters) {
        this.client = client;
        this.supervisor = supervisor;
        this.config = properties.worker();
        this.clock = Clock.systemUTC();
        this.workerId = config.id() != null && !config.id().isBlank() ? config.id() : defaultId();
        this.interval = config.heartbeatInterval();
        this.failures = Counter.builder("helios.worker.heartbeat.failures").register(meters);
    }

    private static String defaultId() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            host = "worker";
        }
        return host + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    public String workerId() {
        return workerId;
    }

    /** Heartbeat now rather than at the next interval (an assignment changed). */
    public void wakeUp() {
        wakeUp.release();
    }

    @Override
    public void start() {
        running = true;
        lastRenewal = clock.instant();
        thread = new Thread(this::loop, "helios-lease-keeper");
        thread.setDaemon(true);
        thread.start();
        log.info("worker {} heartbeating {} every {}", workerId, config.controlPlaneUrl(), interval);
    }

    private void loop() {
        while (running) {
            beat();
            try {
                wakeUp.tryAcquire(interval.toMillis(), TimeUnit.MILLISECONDS);
                wakeUp.drainPermits();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void beat() {
        try {
            Heartbeat.Response answer = client.heartbeat(workerId,
                    new Heartbeat.Request(workerId, config.capacity(), supervisor.reports()));
            lastRenewal = clock.instant();
            if (answer.heartbeatIntervalMillis() > 0) {
                interval = Duration.ofMillis(answer.heartbeatIntervalMillis());
            }
            supervisor.reconcile(answer.leases());
        } catch (RuntimeException e) {
            failures.increment();
            Duration silent = Duration.between(lastRenewal, clock.instant());
            log.warn("heartbeat to {} failed ({} since last renewal): {}", config.controlPlaneUrl(), silent,
                    e.getMessage());
            if (silent.compareTo(config.leaseTtl()) > 0) {
                log.warn("leases not renewed for longer than their TTL {}: stopping every replication", config.leaseTtl());
                supervisor.reconcile(List.of());
            }
        }
    }

    @Override
    public void stop() {
        running = false;
        Thread t = thread;
        if (t != null) {
            t.interrupt();
            try {
                t.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        supervisor.stopAll();
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
