package io.helios.debezium;

import io.debezium.engine.DebeziumEngine;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Stops a Debezium engine within a deadline. The asynchronous engine refuses to close while
 * its tasks are starting (it would leak their connections), so closing is retried until the
 * deadline; then the engine's executor is shut down and, if its thread is still busy,
 * interrupted. Stateless.
 */
final class EngineStopper {

    private static final Logger log = LoggerFactory.getLogger(EngineStopper.class);
    private static final long RETRY_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private EngineStopper() {
    }

    static void stop(DebeziumEngine<?> engine, ExecutorService executor, String slot, long timeoutMillis) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        closeEngine(engine, slot, deadline);
        executor.shutdown();
        try {
            long left = Math.max(0, deadline - System.nanoTime());
            if (!executor.awaitTermination(left, TimeUnit.NANOSECONDS)) {
                log.warn("Debezium engine of slot {} did not stop within {} ms; interrupting it", slot, timeoutMillis);
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    private static void closeEngine(DebeziumEngine<?> engine, String slot, long deadline) {
        while (true) {
            try {
                engine.close();
                return;
            } catch (IllegalStateException e) {
                // "tasks are starting": retry; "already (being) shut down": nothing left to do
                if (!e.getMessage().contains("starting") || System.nanoTime() > deadline) {
                    log.debug("Debezium engine of slot {} not closed: {}", slot, e.getMessage());
                    return;
                }
                LockSupport.parkNanos(RETRY_NANOS);
            } catch (IOException | RuntimeException e) {
                log.warn("closing the Debezium engine of slot {} failed: {}", slot, e.getMessage());
                return;
            }
        }
    }
}
