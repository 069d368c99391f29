package io.helios.worker.replication;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.ValueAtPercentile;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Micrometer meters of one replication, tagged by replication and tenant: lag (source commit to
 * target commit, with p50/p99), rows and transactions applied, batch size, errors, copy
 * progress. Also computes the figures the worker reports with its heartbeat. Thread-safe;
 * {@link #close()} removes the meters when the replication leaves this worker.
 */
final class ReplicationMetrics implements AutoCloseable {

    private final MeterRegistry registry;
    private final List<Meter> meters = new ArrayList<>();
    private final Timer lag;
    private final Counter rows;
    private final Counter transactions;
    private final Counter written;
    private final Counter errors;
    private final Counter spilled;
    private final DistributionSummary batchRows;
    private final Timer applyTime;
    private final Timer captureWait;
    private final AtomicLong copyRows = new AtomicLong();
    private final AtomicLong copyEstimate = new AtomicLong();
    private long lastRateRows;
    private long lastRateNanos = System.nanoTime();
    private double rowsPerSecond;

    ReplicationMetrics(MeterRegistry registry, String replicationId, String tenantId) {
        this.registry = registry;
        Tags tags = Tags.of("replication", replicationId, "tenant", tenantId);
        lag = add(Timer.builder("helios.replication.lag").description("source commit to target commit")
                .tags(tags).publishPercentiles(0.5, 0.99).publishPercentileHistogram()
                .distributionStatisticExpiry(Duration.ofMinutes(1)).register(registry));
        rows = add(Counter.builder("helios.replication.rows.applied").tags(tags).register(registry));
        transactions = add(Counter.builder("helios.replication.transactions.applied").tags(tags).register(registry));
        written = add(Counter.builder("helios.replication.rows.written")
                .description("row writes on the target after a group's changes were reduced to their net effect per row")
                .tags(tags).register(registry));
        errors = add(Counter.builder("helios.replication.errors").tags(tags).register(registry));
        spilled = add(Counter.builder("helios.replication.spilled.transactions")
                .description("source transactions larger than max-transaction-bytes, applied from the worker's spill files")
                .tags(tags).register(registry));
        batchRows = add(DistributionSummary.builder("helios.replication.batch.rows").tags(tags).register(registry));
        applyTime = add(Timer.builder("helios.replication.apply.time")
                .description("time spent applying groups to the target (COPY, statements, commit)").tags(tags).register(registry));
        captureWait = add(Timer.builder("helios.replication.capture.wait")
                .description("time the applier waited for the capture engine's next transaction").tags(tags).register(registry));
        add(Gauge.builder("helios.replication.copy.rows", copyRows, AtomicLong::get).tags(tags).register(registry));
    }

    private <M extends Meter> M add(M meter) {
        meters.add(meter);
        return meter;
    }

    void applied(int txCount, long rowCount, long rowsWritten, List<Duration> lags, int spilledCount) {
        spilled.increment(spilledCount);
        for (Duration d : lags) {
            lag.record(d);
        }
        written.increment(rowsWritten);
        transactions.increment(txCount);
        rows.increment(rowCount);
        batchRows.record(rowCount);
    }

    /** Where the applier thread's time goes: applying, or waiting for capture (tells which side limits throughput). */
    void stages(long applyNanos, long waitNanos) {
        applyTime.record(applyNanos, TimeUnit.NANOSECONDS);
        captureWait.record(waitNanos, TimeUnit.NANOSECONDS);
    }

    void error() {
        errors.increment();
    }

    void copyProgress(long done, long estimated) {
        copyRows.set(done);
        copyEstimate.set(estimated);
    }

    long copyRowsDone() {
        return copyRows.get();
    }

    Integer copyPercent() {
        long est = copyEstimate.get();
        return est <= 0 ? null : (int) Math.min(100, copyRows.get() * 100 / est);
    }

    long rowsApplied() {
        return (long) rows.count();
    }

    long transactionsApplied() {
        return (long) transactions.count();
    }

    double lagPercentileMillis(double percentile) {
        for (ValueAtPercentile v : lag.takeSnapshot().percentileValues()) {
            if (v.percentile() == percentile) {
                return v.value(TimeUnit.MILLISECONDS);
            }
        }
        return 0;
    }

    /** Rows per second since the previous call. */
    synchronized double rowsPerSecond() {
        long now = System.nanoTime();
        long total = rowsApplied();
        double seconds = (now - lastRateNanos) / 1e9;
        if (seconds >= 0.5) {
            rowsPerSecond = (total - lastRateRows) / seconds;
            lastRateRows = total;
            lastRateNanos = now;
        }
        return rowsPerSecond;
    }

    @Override
    public void close() {
        meters.forEach(registry::remove);
    }
}
