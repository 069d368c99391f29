package io.helios.worker.replication;

import io.helios.core.lease.LeaseGrant;
import io.helios.core.lease.ReplicationReport;
import io.helios.core.secret.SecretBox;
import io.helios.worker.config.WorkerProperties;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs exactly the replications this worker holds leases for: starts a runner for each new
 * RUNNING lease, stops the runner of a lease that is gone, paused or re-granted under another
 * epoch. {@link #reconcile} is called from the lease keeper's thread and only decides: runner
 * stops run on a separate executor, so a runner slow to stop never delays a heartbeat. A new
 * runner of a replication whose former runner is still stopping starts once that stop ended.
 * Reports are read from any thread. {@link #stopAll} closes the supervisor for good.
 */
@Component
public class ReplicationSupervisor {

    private static final Logger log = LoggerFactory.getLogger(ReplicationSupervisor.class);

    private final Map<String, Runner> runners = new ConcurrentHashMap<>();
    private final Map<String, LeaseGrant> paused = new ConcurrentHashMap<>();
    private final Map<String, CompletableFuture<Void>> stopping = new ConcurrentHashMap<>();
    private final RunnerFactory factory;
    private final ExecutorService stopper;
    private final Object renewal = new Object();
    private long renewals;
    private Map<String, Long> heldEpochs = Map.of();
    private volatile boolean closed;
    private volatile Runnable phaseListener = () -> { };
    /** What runners ask about their lease, and tell about their phase. */
    private final LeaseConfirmation confirmation = new LeaseConfirmation() {
        @Override
        public boolean stillHeld(String replicationId, long epoch, Duration max) throws InterruptedException {
            return ReplicationSupervisor.this.stillHeld(replicationId, epoch, max);
        }

        @Override
        public void phaseChanged(String replicationId) {
            phaseListener.run();
        }
    };

    @Autowired
    public ReplicationSupervisor(WorkerProperties properties, MeterRegistry meters) {
        this(realRunners(properties, meters));
    }

    ReplicationSupervisor(RunnerFactory factory) {
        this.factory = factory;
        AtomicInteger n = new AtomicInteger();
        this.stopper = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "helios-runner-stop-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    private static RunnerFactory realRunners(WorkerProperties properties, MeterRegistry meters) {
        SecretBox secrets = new SecretBox(properties.secrets().activeKey(), properties.secrets().keys());
        CaptureEngines engines = CaptureEngines.of(properties.capture().engine(), properties.apply().captureLimits());
        return (l, leases) -> new ReplicationRunner(l, secrets, properties.apply(), properties.retry(), engines,
                new ReplicationMetrics(meters, l.spec().replicationId(), l.spec().tenantId()), leases);
    }

    /** Called when a runner's phase changes (the lease keeper heartbeats at once to report it). */
    public void onPhaseChange(Runnable listener) {
        this.phaseListener = listener;
    }

    public synchronized void reconcile(List<LeaseGrant> leases) {
        Map<String, LeaseGrant> wanted = new HashMap<>();
        Map<String, Long> epochs = new HashMap<>();
        for (LeaseGrant l : leases) {
            wanted.put(l.spec().replicationId(), l);
            epochs.put(l.spec().replicationId(), l.epoch());
        }
        synchronized (renewal) {
            heldEpochs = epochs;
            renewals++;
            renewal.notifyAll();
        }
        if (closed) {
            return; // shutting down: the leases are about to be released, nothing starts
        }
        runners.forEach((id, runner) -> {
            LeaseGrant l = wanted.get(id);
            if (l == null || l.epoch() != runner.epoch() || !"RUNNING".equals(l.desiredState())) {
                log.info("replication {}: lease {}, stopping its runner", id,
                        l == null ? "lost" : l.epoch() != runner.epoch() ? "re-granted" : "paused");
                stopLater(id);
            } else if (runner.phase() == Phase.STOPPED) {
                // it stopped itself (lease unconfirmed while the control plane was away) yet still holds it: run again
                stopLater(id);
            }
        });
        paused.keySet().removeIf(id -> !wanted.containsKey(id) || !"PAUSED".equals(wanted.get(id).desiredState()));
        for (LeaseGrant l : leases) {
            String id = l.spec().replicationId();
            if ("PAUSED".equals(l.desiredState())) {
                paused.put(id, l);
            } else if ("RUNNING".equals(l.desiredState()) && !runners.containsKey(id)) {
                Runner runner = factory.create(l, confirmation);
                runners.put(id, runner);
                CompletableFuture<Void> previous = stopping.get(id);
                if (previous == null) {
                    runner.start();
                } else {
                    log.info("replication {}: starting under epoch {} once its former runner stopped", id, l.epoch());
                    previous.whenCompleteAsync((ok, e) -> runner.start(), stopper);
                }
            }
        }
    }

    /** Takes the runner out (it reports nothing more) and stops it on the stopper executor. */
    private void stopLater(String id) {
        Runner runner = runners.remove(id);
        if (runner == null) {
            return;
        }
        CompletableFuture<Void> previous = stopping.getOrDefault(id, CompletableFuture.completedFuture(null));
        CompletableFuture<Void> stop = previous.handleAsync((ok, e) -> {
            runner.stop();
            return null;
        }, stopper);
        stopping.put(id, stop);
        stop.whenComplete((ok, e) -> stopping.remove(id, stop));
    }

    /**
     * Stops every runner at once, without waiting: the lease keeper could not renew the leases
     * for long enough that the control plane may soon give them away. A later heartbeat answer
     * that still lists them starts them again.
     */
    public synchronized void abandonAll(String reason) {
        if (!runners.isEmpty()) {
            log.warn("stopping every replication ({}): {}", runners.keySet(), reason);
        }
        new ArrayList<>(runners.keySet()).forEach(this::stopLater);
        paused.clear();
    }

    /** See {@link LeaseConfirmation}: waits for the next heartbeat answer, then looks the lease up in it. */
    boolean stillHeld(String replicationId, long epoch, Duration max) throws InterruptedException {
        long deadline = System.nanoTime() + max.toNanos();
        synchronized (renewal) {
            long seen = renewals;
            while (renewals == seen) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(renewal, left);
            }
            return Long.valueOf(epoch).equals(heldEpochs.get(replicationId));
        }
    }

    public List<ReplicationReport> reports() {
        List<ReplicationReport> out = new ArrayList<>();
        runners.values().forEach(r -> out.add(r.report()));
        paused.values().forEach(l -> out.add(new ReplicationReport(l.spec().replicationId(), l.epoch(), "PAUSED",
                null, 0, 0, 0, 0, 0, 0, null, null)));
        return out;
    }

    /** Phase of each running replication, for health. */
    public Map<String, String> phases() {
        Map<String, String> out = new HashMap<>();
        runners.forEach((id, r) -> out.put(id, r.phase().name()));
        paused.keySet().forEach(id -> out.put(id, "PAUSED"));
        return out;
    }

    /** Whether no runner is running or still stopping. */
    public boolean idle() {
        return runners.isEmpty() && stopping.isEmpty();
    }

    /**
     * Closes the supervisor (later answers start nothing) and stops every runner in parallel,
     * waiting at most {@code bound} for them; answers whether they all stopped in time.
     */
    public boolean stopAll(Duration bound) {
        List<CompletableFuture<Void>> pending;
        synchronized (this) {
            closed = true;
            new ArrayList<>(runners.keySet()).forEach(this::stopLater);
            paused.clear();
            pending = new ArrayList<>(stopping.values());
        }
        try {
            CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).get(bound.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            log.warn("{} replication runner(s) still stopping after {}: {}", stopping.size(), bound, stopping.keySet());
            return false;
        } catch (ExecutionException e) {
            log.warn("stopping a replication runner failed: {}", e.getCause().toString());
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            stopper.shutdown();
        }
    }

    /** {@link #stopAll(Duration)} with a ten-second bound. */
    public void stopAll() {
        stopAll(Duration.ofSeconds(10));
    }
}
