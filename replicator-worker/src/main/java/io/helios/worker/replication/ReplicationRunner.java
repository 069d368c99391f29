package io.helios.worker.replication;

import io.helios.core.change.Lsn;
import io.helios.core.lease.EndpointSpec;
import io.helios.core.lease.LeaseGrant;
import io.helios.core.lease.ReplicationReport;
import io.helios.core.lease.ReplicationSpec;
import io.helios.core.secret.SecretBox;
import io.helios.core.tenant.TableFilter;
import io.helios.core.tenant.TenantScope;
import io.helios.core.capture.CaptureEngine;
import io.helios.postgres.slot.ReplicationNames;
import io.helios.postgres.PgEndpoint;
import io.helios.postgres.apply.ApplyResult;
import io.helios.postgres.apply.TransactionApplier;
import io.helios.postgres.checkpoint.StaleLeaseException;
import io.helios.postgres.copy.CopyCancellation;
import io.helios.postgres.copy.TableSync;
import io.helios.worker.config.WorkerProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Runs one leased replication on its own thread: prepares the source and the target
 * ({@link ReplicationBootstrap}), then streams whole source transactions from the slot and
 * applies them in groups, each group one target transaction that also advances the checkpoint
 * under this lease's epoch ({@link BatchingLoop}), on the engine {@link CaptureEngines} opens.
 * Retriable failures (lost connections) are retried by the {@link RetryPolicy}, each retry only
 * after a fresh heartbeat confirmed the lease; anything else fails the replication with its cause
 * in the report. A stale epoch means another worker owns the replication: the runner stops and
 * reports nothing more.
 *
 * <p>Lifecycle: {@link #start()} once; {@link #stop()} from the supervisor's thread sets the stop
 * flag, interrupts and joins with a bound. Phase, last error and last applied position are
 * volatile and read by {@link #report()} from any thread.
 */
final class ReplicationRunner extends Runner implements Runnable {

    private static final Logger log = LoggerFactory.getLogger(ReplicationRunner.class);
    private static final Duration RENEWAL_WAIT = Duration.ofSeconds(30);

    private final ReplicationSpec spec;
    private final long epoch;
    private final SecretBox secrets;
    private final WorkerProperties.Apply config;
    private final CaptureEngines engines;
    private final ReplicationMetrics metrics;
    private final RetryPolicy retries;
    private final Thread thread;
    private volatile Phase phase = Phase.STARTING;
    private volatile String lastError;
    private volatile Lsn lastApplied;
    private final LeaseConfirmation leases;
    /** The runner's view of its source for the failover service's observers: null until known. */
    private volatile Boolean sourceReachable;
    private volatile java.time.Instant sourceDownSince;
    private volatile boolean stopRequested;
    /** The running attempt's copy, cancelled by {@link #stop()}; a fresh one per attempt. */
    private volatile CopyCancellation copy = new CopyCancellation();

    ReplicationRunner(LeaseGrant lease, SecretBox secrets, WorkerProperties.Apply config, WorkerProperties.Retry retry,
                      CaptureEngines engines, ReplicationMetrics metrics, LeaseConfirmation leases) {
        this.engines = engines;
        this.leases = leases;
        this.spec = lease.spec();
        this.epoch = lease.epoch();
        String id = spec.replicationId();
        this.retries = new RetryPolicy("replication-" + id, retry, () -> ThreadLocalRandom.current().nextDouble(),
                Clock.systemUTC(), () -> leases.stillHeld(id, epoch, RENEWAL_WAIT), () -> stopRequested, this::retrying);
        this.secrets = secrets;
        this.config = config;
        this.metrics = metrics;
        this.thread = new Thread(this, "helios-replication-" + spec.replicationId().substring(0, 8));
        this.thread.setDaemon(true);
    }

    long epoch() {
        return epoch;
    }

    Phase phase() {
        return phase;
    }

    void start() {
        log.info("replication {} of tenant {}: starting under lease epoch {}", spec.replicationId(), spec.tenantId(), epoch);
        thread.start();
    }

    void stop() {
        stopRequested = true;
        // a copy blocks in socket reads an interrupt does not end: cancel its statements, close its sessions
        copy.cancel();
        thread.interrupt();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            log.warn("replication {}: runner did not stop within 10 s", spec.replicationId());
        }
        metrics.close();
    }

    ReplicationReport report() {
        return new ReplicationReport(spec.replicationId(), epoch, phase.name(),
                lastApplied == null ? null : lastApplied.toString(),
                metrics.lagPercentileMillis(0.5), metrics.lagPercentileMillis(0.99), metrics.rowsPerSecond(),
                metrics.rowsApplied(), metrics.transactionsApplied(), metrics.copyRowsDone(), metrics.copyPercent(),
                lastError, sourceReachable, sourceDownSince);
    }

    @Override
    public void run() {
        if (stopRequested) {
            return;
        }
        try {
            if (retries.run(this::runOnce) == RetryPolicy.Outcome.LEASE_UNCONFIRMED) {
                log.info("replication {}: lease epoch {} not confirmed after a failure; not reconnecting",
                        spec.replicationId(), epoch);
                moveTo(Phase.STOPPED, null);
            }
        } catch (StaleLeaseException e) {
            log.warn("replication {}: lease epoch {} is stale, another worker owns it; stopping", spec.replicationId(), epoch);
            moveTo(Phase.STOPPED, null);
        } catch (Exception e) {
            if (!stopRequested) {
                metrics.error();
                log.error("replication {} failed: {}", spec.replicationId(), describe(e), e);
                moveTo(Phase.FAILED, describe(e));
            }
        }
    }

    private void retrying(Throwable failure, int attempt, Duration wait) {
        metrics.error();
        lastError = describe(failure);
        checkSource();
        log.warn("replication {}: {} (retry {} in {} ms)", spec.replicationId(), lastError, attempt, wait.toMillis());
    }

    private void runOnce(Runnable streaming) throws Exception {
        PgEndpoint source = endpoint(spec.source());
        PgEndpoint target = endpoint(spec.target());
        TenantScope scope = scope(spec);
        String slot = ReplicationNames.slot(spec.replicationId());
        String publication = ReplicationNames.publication(spec.replicationId());
        TransactionApplier applier = new TransactionApplier(target, source, scope, spec.replicationId(), epoch,
                spec.conflictStrategy());
        try {
            // the bootstrap works on the applier's own sessions: a resume then opens no connection
            // between the first decoded transaction and its apply
            CopyCancellation attemptCopy = new CopyCancellation();
            copy = attemptCopy;
            if (stopRequested) {
                return;
            }
            ReplicationBootstrap bootstrap = new ReplicationBootstrap(spec.replicationId(), epoch, source, target, scope,
                    attemptCopy, config.copyOptions());
            Lsn appliedUpTo = bootstrap.prepare(applier.targetSession(), applier.sourceSession(),
                    () -> copyBegins(target), metrics::copyProgress);
            applier.resumeAfter(appliedUpTo);
            TableDiscovery discovery = new TableDiscovery(spec.replicationId(), epoch, source, target, scope, publication,
                    applier, config.tableDiscoveryInterval(), System::nanoTime);
            discovery.resume();
            lastApplied = appliedUpTo;
            try (CaptureEngine engine = engines.open(source, slot, publication)) {
                engine.start(appliedUpTo);
                sourceUp();
                moveTo(Phase.STREAMING, null);
                streaming.run();
                new BatchingLoop(spec.replicationId(), engine, applier,
                        new GroupCollector(engine, GroupLimits.of(config, spec), System::nanoTime), discovery, metrics,
                        config.pollTimeout(), () -> stopRequested, this::applied).run();
            }
        } finally {
            applier.close();
        }
    }

    /** An initial copy replaces every table: records of tables copied while streaming before are void. */
    private void copyBegins(PgEndpoint target) {
        try (Connection t = target.open()) {
            TableSync.forgetAll(t, spec.replicationId(), epoch);
        } catch (SQLException e) {
            throw new IllegalStateException("could not clear the table sync records of replication "
                    + spec.replicationId() + ": " + e.getMessage(), e);
        }
        moveTo(Phase.COPYING, null);
    }

    private void applied(ApplyResult result) {
        if (result.lastEndLsn() != null) {
            lastApplied = result.lastEndLsn();
        }
        lastError = null;
        sourceUp();
    }

    /** After a failure: can the source be reached at all (bounded by the connect timeout)? Feeds the report. */
    private void checkSource() {
        try (Connection c = endpoint(spec.source()).open()) {
            sourceUp();
        } catch (SQLException | RuntimeException e) {
            if (sourceDownSince == null) {
                sourceDownSince = java.time.Instant.now();
                log.warn("replication {}: source unreachable: {}", spec.replicationId(), e.getMessage());
            }
            sourceReachable = false;
        }
    }

    private void sourceUp() {
        sourceReachable = true;
        sourceDownSince = null;
    }

    private PgEndpoint endpoint(EndpointSpec e) {
        String password = secrets.open(Base64.getDecoder().decode(e.sealedPassword()), "endpoint:" + e.id());
        return new PgEndpoint(e.jdbcUrl(), e.username(), password);
    }

    private static TenantScope scope(ReplicationSpec s) {
        return new TenantScope(s.tenantId(), s.tenancyModel(), s.sourceSchema(), s.targetSchema(),
                s.discriminatorColumn(), TableFilter.of(s.includeTables(), s.excludeTables()));
    }

    private void moveTo(Phase next, String error) {
        Phase previous = phase;
        phase = next;
        if (error != null) {
            lastError = error;
        }
        if (previous != next) {
            log.info("replication {} of tenant {}: {} -> {}", spec.replicationId(), spec.tenantId(), previous, next);
            leases.phaseChanged(spec.replicationId());
        }
    }

    private static String describe(Throwable e) {
        String m = e.getMessage();
        // a report carries a bounded error text: the control plane refuses a longer one
        return ReplicationReport.cutError(e.getClass().getSimpleName() + (m == null ? "" : ": " + m));
    }
}
