package io.helios.worker.replication;

import io.helios.core.capture.CaptureEngine;
import io.helios.core.change.Lsn;
import io.helios.core.change.SourceTransaction;
import io.helios.postgres.apply.ApplyResult;
import io.helios.postgres.apply.TransactionApplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * The streaming half of one attempt of a replication: takes groups of whole source
 * transactions from the capture engine ({@link GroupCollector}), applies each as one target
 * transaction that also advances the checkpoint, and confirms to the slot what the target holds
 * durably. Between groups, lets {@link TableDiscovery} bring in tables that joined the tenant's
 * scope. Records lag, rows and where the time goes in the replication's metrics.
 *
 * <p>Threading and lifecycle: runs on the replication's runner thread, once per started
 * engine, until a stop is requested ({@code stopRequested}, with an interrupt to end a wait);
 * a failure is thrown to the runner's retry policy. Neither the engine nor the applier is closed
 * here: they belong to the attempt that opened them.
 */
final class BatchingLoop {

    private static final Logger log = LoggerFactory.getLogger(BatchingLoop.class);
    /** How often an idle stream moves its checkpoint (one small target transaction each time). */
    private static final long IDLE_RECORD_SPACING_NANOS = java.util.concurrent.TimeUnit.SECONDS.toNanos(1);

    private final String replicationId;
    private final CaptureEngine engine;
    private final TransactionApplier applier;
    private final GroupCollector groups;
    private final TableDiscovery discovery;
    private final ReplicationMetrics metrics;
    private final Duration pollTimeout;
    private final BooleanSupplier stopRequested;
    private final Consumer<ApplyResult> applied;
    private long lastIdleRecord = System.nanoTime() - IDLE_RECORD_SPACING_NANOS;

    /**
     * @param pollTimeout   how long to wait for the first transaction of a group before
     *                      confirming idle progress and looking at {@code stopRequested} again
     * @param applied       told after each committed group
     */
    BatchingLoop(String replicationId, CaptureEngine engine, TransactionApplier applier, GroupCollector groups,
                 TableDiscovery discovery, ReplicationMetrics metrics, Duration pollTimeout, BooleanSupplier stopRequested,
                 Consumer<ApplyResult> applied) {
        this.replicationId = replicationId;
        this.engine = engine;
        this.applier = applier;
        this.groups = groups;
        this.discovery = discovery;
        this.metrics = metrics;
        this.pollTimeout = pollTimeout;
        this.stopRequested = stopRequested;
        this.applied = applied;
    }

    /** Streams until a stop is requested, then confirms what the target holds durably. */
    void run() throws InterruptedException, SQLException {
        try {
            streamUntilStopped();
        } catch (InterruptedException e) {
            if (!stopRequested.getAsBoolean()) {
                throw e;
            }
        }
        if (stopRequested.getAsBoolean()) {
            // stop() interrupts whatever this thread waits on, or the next wait if it was busy: a
            // requested stop is a clean one, so clear the interrupt and let the engine settle as it closes
            Thread.interrupted();
        }
        confirmOnStop();
    }

    private void streamUntilStopped() throws InterruptedException, SQLException {
        while (!stopRequested.getAsBoolean()) {
            discovery.runIfDue();
            GroupCollector.Group group = groups.next(pollTimeout);
            if (group.isEmpty()) {
                recordIdle();
                confirmDurable();
            } else {
                apply(group);
            }
        }
    }

    private void apply(GroupCollector.Group group) throws SQLException {
        long applyStart = System.nanoTime();
        ApplyResult result = applier.apply(group.transactions());
        metrics.stages(System.nanoTime() - applyStart, group.waitNanos());
        Instant committed = Instant.now();
        applied.accept(result);
        confirmDurable();
        List<Duration> lags = new ArrayList<>(group.transactions().size());
        int spilled = 0;
        for (SourceTransaction tx : group.transactions()) {
            lags.add(Duration.between(tx.commitTime(), committed));
            spilled += tx.isSpilled() ? 1 : 0;
        }
        metrics.applied(result.transactions(), result.rows(), result.rowsWritten(), lags, spilled);
    }

    /**
     * A clean stop (pause, stop, handover) confirms everything applied before the engine closes:
     * otherwise the slot would resend the last, not yet flushed, groups to the next run, which
     * skips them but makes the source decode and send them again.
     */
    private void confirmOnStop() {
        try {
            Lsn durable = applier.flushDurable();
            if (durable != null) {
                engine.confirm(durable);
            }
        } catch (SQLException e) {
            log.debug("replication {}: final confirmation skipped: {}", replicationId, e.getMessage());
        }
    }

    /**
     * Over a stretch with nothing for the tenant, moves the checkpoint to where the engine saw
     * nothing in flight, at most every {@link #IDLE_RECORD_SPACING_NANOS}: the slot is then
     * confirmed there (once durable) and an idle tenant holds no WAL, and it is never confirmed
     * past what the target recorded.
     */
    private void recordIdle() throws SQLException {
        long now = System.nanoTime();
        if (now - lastIdleRecord < IDLE_RECORD_SPACING_NANOS) {
            return;
        }
        Lsn idle = engine.idleUpTo();
        if (idle != null && applier.recordIdle(idle)) {
            lastIdleRecord = now;
        }
    }

    /** The slot may release what is on the target's disk, not merely committed there. */
    private void confirmDurable() throws SQLException {
        Lsn durable = applier.durableUpTo();
        if (durable != null) {
            engine.confirm(durable);
        }
    }
}
