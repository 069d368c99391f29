package io.helios.worker.replication;

import io.helios.core.lease.LeaseGrant;
import io.helios.core.lease.ReplicationReport;
import io.helios.core.secret.SecretBox;
import io.helios.worker.config.WorkerProperties;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Runs exactly the replications this worker holds leases for: starts a runner for each new
 * RUNNING lease, stops the runner of a lease that is gone, paused or re-granted under another
 * epoch. Called from the lease keeper's thread; reports are read from any thread.
 */
@Component
public class ReplicationSupervisor {

    private static final Logger log = LoggerFactory.getLogger(ReplicationSupervisor.class);

    private final Map<String, ReplicationRunner> runners = new ConcurrentHashMap<>();
    private final Map<String, LeaseGrant> paused = new ConcurrentHashMap<>();
    private final SecretBox secrets;
    private final WorkerProperties.Apply apply;
    private final WorkerProperties.Retry retry;
    private final CaptureEngines engines;
    private final MeterRegistry meters;
    private final Object renewal = new Object();
    private long renewals;
    private Map<String, Long> heldEpochs = Map.of();

    public ReplicationSupervisor(WorkerProperties properties, MeterRegistry meters) {
        this.secrets = new SecretBox(properties.secrets().activeKey(), properties.secrets().keys());
        this.apply = properties.apply();
        this.retry = properties.retry();
        this.engines = CaptureEngines.of(properties.capture().engine(), apply.captureLimits());
        this.meters = meters;
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
        runners.forEach((id, runner) -> {
            LeaseGrant l = wanted.get(id);
            if (l == null || l.epoch() != runner.epoch() || !"RUNNING".equals(l.desiredState())) {
                log.info("replication {}: lease {}, stopping its runner", id,
                        l == null ? "lost" : l.epoch() != runner.epoch() ? "re-granted" : "paused");
                runners.remove(id);
                runner.stop();
            } else if (runner.phase() == Phase.STOPPED) {
                // it stopped itself (lease unconfirmed while the control plane was away) yet still holds it: run again
                runners.remove(id);
                runner.stop();
            }
        });
        paused.keySet().removeIf(id -> !wanted.containsKey(id) || !"PAUSED".equals(wanted.get(id).desiredState()));
        for (LeaseGrant l : leases) {
            String id = l.spec().replicationId();
            if ("PAUSED".equals(l.desiredState())) {
                paused.put(id, l);
            } else if ("RUNNING".equals(l.desiredState()) && !runners.containsKey(id)) {
                ReplicationRunner runner = new ReplicationRunner(l, secrets, apply, retry, engines,
                        new ReplicationMetrics(meters, id, l.spec().tenantId()), this::stillHeld);
                runners.put(id, runner);
                runner.start();
            }
        }
    }

    /** See {@link LeaseConfirmation}: waits for the next heartbeat answer, then looks the lease up in it. */
    boolean stillHeld(String replicationId, long epoch, java.time.Duration max) throws InterruptedException {
        long deadline = System.nanoTime() + max.toNanos();
        synchronized (renewal) {
            long seen = renewals;
            while (renewals == seen) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                java.util.concurrent.TimeUnit.NANOSECONDS.timedWait(renewal, left);
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

    public synchronized void stopAll() {
        runners.values().forEach(ReplicationRunner::stop);
        runners.clear();
        paused.clear();
    }
}
