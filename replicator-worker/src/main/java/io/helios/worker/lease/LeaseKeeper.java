package io.helios.worker.lease;

import io.helios.core.lease.Heartbeat;
import io.helios.worker.config.WorkerProperties;
import io.helios.worker.replication.ReplicationSupervisor;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import io.helios.security.client.CredentialException;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.LivenessState;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Keeps this worker's leases: heartbeats the control plane on an interval (or at once when an
 * assignment event arrives) and hands the answer to the {@link ReplicationSupervisor}, which only
 * decides on this thread (runner stops happen elsewhere), so heartbeats never wait behind a
 * runner. A watchdog stops every runner when the leases could not be renewed for the granted TTL
 * minus a margin ({@link RenewalDeadline}): the worker stops applying before the control plane
 * may give its leases away (the target's checkpoint epoch refuses a zombie anyway).
 *
 * <p>Lifecycle: {@link #start()} starts the heartbeat thread and the watchdog; {@link #stop()}
 * asks for no new leases, stops the runners in parallel (bounded by the shutdown timeout) while
 * heartbeats go on, ends the heartbeat thread, and sends a last heartbeat that releases every
 * lease, so other workers resume them at once instead of after the TTL.
 */
@Component
public class LeaseKeeper implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(LeaseKeeper.class);

    private final ControlPlaneClient client;
    private final ReplicationSupervisor supervisor;
    private final WorkerProperties.Worker config;
    private final Clock clock;
    private final ApplicationEventPublisher events;
    private volatile String workerId;
    private final Semaphore wakeUp = new Semaphore(0);
    private final Counter failures;
    private final AtomicBoolean abandoned = new AtomicBoolean();
    private final RenewalDeadline deadline;
    private volatile Thread thread;
    private volatile ScheduledExecutorService watchdog;
    private volatile boolean running;
    private volatile boolean closing;
    private volatile Duration interval;

    public LeaseKeeper(ControlPlaneClient client, ReplicationSupervisor supervisor, WorkerProperties properties,
                       MeterRegistry meters, ApplicationEventPublisher events) {
        this.client = client;
        this.supervisor = supervisor;
        // a runner's new phase (copying, streaming, failed) reaches the control plane with a heartbeat sent now
        supervisor.onPhaseChange(this::wakeUp);
        this.config = properties.worker();
        this.clock = Clock.systemUTC();
        this.events = events;
        this.interval = config.heartbeatInterval();
        this.deadline = new RenewalDeadline(config.leaseTtl(), config.renewalMargin(), clock.instant());
        this.failures = Counter.builder("helios.worker.heartbeat.failures").register(meters);
    }

    /** This worker's id, known once started (it comes from the worker's credential). */
    public String workerId() {
        return workerId;
    }

    /** Heartbeat now rather than at the next interval (an assignment or a replication's phase changed). */
    public void wakeUp() {
        wakeUp.release();
    }

    /**
     * Learns the worker's id from its credential and makes a first contact before anything else: a
     * control plane that refuses this worker's identity stops the start with its reason (a
     * misconfigured credential cannot be cured by retrying), while an unreachable one is retried by
     * the heartbeat loop as usual.
     */
    @Override
    public void start() {
        workerId = client.workerId();
        deadline.renewed(clock.instant(), 0);
        firstContact();
        running = true;
        thread = new Thread(this::loop, "helios-lease-keeper");
        thread.setDaemon(true);
        thread.start();
        ScheduledExecutorService w = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "helios-lease-watchdog");
            t.setDaemon(true);
            return t;
        });
        long tick = Math.max(20, Math.min(1_000, deadline.stopAfter().toMillis() / 10));
        w.scheduleWithFixedDelay(this::watch, tick, tick, TimeUnit.MILLISECONDS);
        watchdog = w;
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

    private void firstContact() {
        try {
            exchange(clock.instant());
        } catch (IdentityRefusedException e) {
            throw new IllegalStateException(e.getMessage(), e);
        } catch (CredentialException e) {
            if (e.permanent()) {
                throw new IllegalStateException("worker " + workerId + " has no usable credential: " + e.getMessage(), e);
            }
            log.warn("worker {} could not obtain its token yet ({}); retrying at each heartbeat", workerId, e.getMessage());
        } catch (RuntimeException e) {
            failures.increment();
            log.warn("first heartbeat to {} failed ({}); retrying every {}", config.controlPlaneUrl(), e.getMessage(), interval);
        }
    }

    private void exchange(Instant sent) {
        // while closing, ask for nothing: the leases held are about to be released
        Heartbeat.Response answer = client.heartbeat(workerId,
                new Heartbeat.Request(workerId, closing ? 0 : config.capacity(), supervisor.reports()));
        deadline.renewed(sent, answer.leaseTtlMillis());
        abandoned.set(false);
        if (answer.heartbeatIntervalMillis() > 0) {
            interval = Duration.ofMillis(answer.heartbeatIntervalMillis());
        }
        supervisor.reconcile(answer.leases());
    }

    private void beat() {
        Instant sent = clock.instant();
        try {
            exchange(sent);
        } catch (IdentityRefusedException e) {
            failures.increment();
            // the credential changed under a running worker (a rotation to another worker's token, a revoked key):
            // say so loudly and let the orchestrator restart it, where the start refuses with the same reason
            log.error("{}; the worker is marked broken (liveness DOWN) and stops applying at the lease deadline", e.getMessage());
            AvailabilityChangeEvent.publish(events, this, LivenessState.BROKEN);
            watch();
        } catch (RuntimeException e) {
            failures.increment();
            log.warn("heartbeat to {} failed ({} since last renewal, lease TTL {}): {}", config.controlPlaneUrl(),
                    deadline.silentFor(clock.instant()), deadline.ttl(), e.getMessage());
            watch();
        }
    }

    /** Stops every runner once the leases went unrenewed past the deadline (once per outage). */
    private void watch() {
        try {
            if (deadline.passed(clock.instant()) && abandoned.compareAndSet(false, true)) {
                supervisor.abandonAll("leases not renewed for " + deadline.silentFor(clock.instant())
                        + ", longer than the granted TTL " + deadline.ttl() + " minus the safety margin");
            }
        } catch (RuntimeException e) {
            log.warn("lease watchdog: {}", e.toString());
        }
    }

    @Override
    public void stop() {
        closing = true;
        boolean stopped = supervisor.stopAll(config.shutdownTimeout());
        running = false;
        wakeUp.release();
        ScheduledExecutorService w = watchdog;
        if (w != null) {
            w.shutdownNow();
        }
        Thread t = thread;
        if (t != null) {
            try {
                t.join(deadline.ttl().toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        release(stopped);
    }

    /** The last heartbeat: gives every lease back so other workers take them over now. */
    private void release(boolean runnersStopped) {
        try {
            client.heartbeat(workerId, new Heartbeat.Request(workerId, 0, List.of(), true));
            log.info("worker {} released its leases{}", workerId,
                    runnersStopped ? "" : " (some runners had not stopped yet: their epochs are fenced)");
        } catch (RuntimeException e) {
            log.warn("worker {} could not release its leases ({}); they expire after the TTL {}", workerId,
                    e.getMessage(), deadline.ttl());
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
