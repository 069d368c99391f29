package io.helios.failover.health;

import io.helios.failover.FailoverProperties;
import io.helios.failover.ObserverIdentity;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Probes every endpoint the {@link ProbeTargets} name, each on its own schedule
 * ({@code helios.probe.interval}, default 1 s), on a small pool: one endpoint is never probed twice at
 * once, and a hung one (bounded by the connect and statement timeouts) delays only itself. Each
 * result is stored as history and as this observer's observation, and exported as metrics
 * ({@code helios_failover_endpoint_healthy}, {@code helios_failover_probe_seconds}). State changes
 * are logged at INFO/WARN.
 *
 * <p>Lifecycle: a {@link SmartLifecycle}; stop shuts the pool down and waits for running probes
 * with a bound.
 */
@Component
public class HealthMonitor implements SmartLifecycle, DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(HealthMonitor.class);

    private final List<ProbeTargets> targets;
    private final List<ProbeListener> listeners;
    private final EndpointProber prober;
    private final ProbeStore store;
    private final ObserverIdentity observer;
    private final FailoverProperties.Probe config;
    private final MeterRegistry meters;
    private final Clock clock;
    private final Map<UUID, Boolean> busy = new ConcurrentHashMap<>();
    private final Map<UUID, AtomicInteger> healthy = new ConcurrentHashMap<>();
    private final Map<UUID, ProbeResult> latest = new ConcurrentHashMap<>();
    private volatile ScheduledExecutorService pool;

    public HealthMonitor(List<ProbeTargets> targets, List<ProbeListener> listeners, EndpointProber prober,
                         ProbeStore store, ObserverIdentity observer, FailoverProperties properties, MeterRegistry meters,
                         Clock clock) {
        this.targets = targets;
        this.listeners = listeners;
        this.prober = prober;
        this.store = store;
        this.observer = observer;
        this.config = properties.probe();
        this.meters = meters;
        this.clock = clock;
    }

    /** This observer's latest probe of each endpoint. */
    public Map<UUID, ProbeResult> latest() {
        return Map.copyOf(latest);
    }

    @Override
    public synchronized void start() {
        AtomicInteger n = new AtomicInteger();
        pool = Executors.newScheduledThreadPool(4, r -> {
            Thread t = new Thread(r, "helios-probe-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        long every = Math.max(50, config.interval().toMillis());
        pool.scheduleWithFixedDelay(this::tick, 0, every, TimeUnit.MILLISECONDS);
        pool.scheduleWithFixedDelay(this::prune, 1, 10, TimeUnit.MINUTES);
        log.info("observer {} probes primaries and targets every {} ms", observer.id(), every);
    }

    private void tick() {
        Set<UUID> endpoints = new HashSet<>();
        for (ProbeTargets t : targets) {
            try {
                endpoints.addAll(t.endpointsToProbe());
            } catch (RuntimeException e) {
                log.debug("probe targets unavailable: {}", e.getMessage());
            }
        }
        ScheduledExecutorService p = pool;
        for (UUID id : endpoints) {
            if (p != null && busy.putIfAbsent(id, Boolean.TRUE) == null) {
                try {
                    p.execute(() -> probe(id));
                } catch (RuntimeException rejected) {
                    busy.remove(id);
                }
            }
        }
    }

    private void probe(UUID id) {
        try {
            for (ProbeListener l : listeners) {
                try {
                    l.beforeProbe(id);
                } catch (RuntimeException e) {
                    log.warn("before probing endpoint {}: {}", id, e.getMessage());
                }
            }
            ProbeResult r = prober.probe(id, observer.id());
            ProbeResult previous = latest.put(id, r);
            if (previous == null || previous.healthy() != r.healthy()) {
                if (r.healthy()) {
                    log.info("observer {}: endpoint {} healthy ({} ms)", observer.id(), id, Math.round(r.latencyMs()));
                } else {
                    log.warn("observer {}: endpoint {} not healthy: {}", observer.id(), id, r.error());
                }
            }
            gauge(id).set(r.healthy() ? 1 : 0);
            Timer.builder("helios.failover.probe").tag("endpoint", id.toString()).tag("healthy", String.valueOf(r.healthy()))
                    .register(meters).record(java.time.Duration.ofNanos((long) (r.latencyMs() * 1_000_000)));
            store.record(r);
        } catch (RuntimeException e) {
            log.warn("probe of endpoint {} could not be recorded: {}", id, e.getMessage());
        } finally {
            busy.remove(id);
        }
    }

    private AtomicInteger gauge(UUID id) {
        return healthy.computeIfAbsent(id, k -> {
            AtomicInteger v = new AtomicInteger(-1);
            Gauge.builder("helios.failover.endpoint.healthy", v, AtomicInteger::get).tag("endpoint", k.toString())
                    .description("1 when this observer's last probe connected and wrote, 0 when not").register(meters);
            return v;
        });
    }

    private void prune() {
        try {
            int n = store.prune(clock.instant().minus(config.historyRetention()));
            log.debug("pruned {} probe results", n);
        } catch (RuntimeException e) {
            log.debug("pruning probe history failed: {}", e.getMessage());
        }
    }

    @Override
    public synchronized void stop() {
        ScheduledExecutorService p = pool;
        pool = null;
        if (p != null) {
            p.shutdownNow();
            try {
                if (!p.awaitTermination(5, TimeUnit.SECONDS)) {
                    log.warn("probes did not end within 5 s");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public boolean isRunning() {
        return pool != null;
    }

    @Override
    public void destroy() {
        stop();
    }
}
