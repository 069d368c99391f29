package io.helios.controlplane.maintenance;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The one scheduler of control-plane maintenance: a single thread runs every enabled
 * {@link MaintenanceTask} at its own fixed delay, each run under the {@link MaintenanceLock} so
 * that only one instance of a multi-replica control plane does the work; every instance
 * refreshes its metrics after each turn. A failing run is logged and the next one happens as
 * planned. Started after the application context, stopped (with a bound) before it closes.
 */
@Component
class MaintenanceScheduler implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(MaintenanceScheduler.class);

    private final List<MaintenanceTask> tasks;
    private final MaintenanceLock lock;
    private volatile ScheduledExecutorService executor;

    MaintenanceScheduler(List<MaintenanceTask> tasks, MaintenanceLock lock) {
        this.tasks = List.copyOf(tasks);
        this.lock = lock;
    }

    @Override
    public synchronized void start() {
        executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "helios-maintenance");
            t.setDaemon(true);
            return t;
        });
        for (MaintenanceTask task : tasks) {
            if (!task.enabled()) {
                log.info("maintenance task {} disabled", task.name());
                continue;
            }
            long ms = task.interval().toMillis();
            executor.scheduleWithFixedDelay(() -> turn(task), ms, ms, TimeUnit.MILLISECONDS);
            log.info("maintenance task {} every {}", task.name(), task.interval());
        }
    }

    private void turn(MaintenanceTask task) {
        try {
            lock.runExclusively(task::run);
        } catch (RuntimeException e) {
            log.error("maintenance task {} failed; it runs again in {}", task.name(), task.interval(), e);
        }
        try {
            task.refresh();
        } catch (RuntimeException e) {
            log.warn("maintenance task {}: metrics not refreshed: {}", task.name(), e.getMessage());
        }
    }

    @Override
    public synchronized void stop() {
        ScheduledExecutorService e = executor;
        executor = null;
        if (e == null) {
            return;
        }
        e.shutdownNow();
        try {
            if (!e.awaitTermination(10, TimeUnit.SECONDS)) {
                log.warn("maintenance thread still busy after 10 s; leaving it (daemon)");
            }
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public boolean isRunning() {
        return executor != null;
    }
}
