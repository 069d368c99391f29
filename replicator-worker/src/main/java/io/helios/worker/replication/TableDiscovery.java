package io.helios.worker.replication;

import io.helios.core.change.Lsn;
import io.helios.core.change.TableId;
import io.helios.core.tenant.TenantScope;
import io.helios.postgres.PgEndpoint;
import io.helios.postgres.apply.TransactionApplier;
import io.helios.postgres.catalog.Catalog;
import io.helios.postgres.copy.TableSync;
import io.helios.postgres.ddl.SchemaSync;
import io.helios.postgres.slot.Publications;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * Finds, on an interval, the source tables that belong to the tenant's scope but that the
 * replication's publication does not publish yet (a table created under an include glob, a ROW
 * tenant's new shared table, a DATABASE tenant's table in a new schema, any new table before
 * PostgreSQL 15), and brings them in with {@link TableSync}: publication, copy from a consistent
 * point, and the applier told to skip their changes the copy holds. Tables of a schema the
 * publication lists ({@code TABLES IN SCHEMA}) join on their own when created and stream from
 * their first row, so they are never candidates.
 *
 * <p>A table that cannot be replicated (no key and no {@code REPLICA IDENTITY FULL}) fails the
 * replication before the publication is touched, as it fails an initial copy: adding it would make
 * the application's updates and deletes on it fail on the source.
 *
 * <p>Single-threaded: runs on the replication's runner thread between two groups, when no target
 * transaction of the applier is open, so the stream pauses for the length of a copy. Uses the
 * applier's source session for the catalog look-ups.
 */
final class TableDiscovery {

    private static final Logger log = LoggerFactory.getLogger(TableDiscovery.class);

    private final String replicationId;
    private final long epoch;
    private final PgEndpoint source;
    private final PgEndpoint target;
    private final TenantScope scope;
    private final String publication;
    private final TransactionApplier applier;
    private final long intervalNanos;
    private final LongSupplier nanoTime;
    private long lastRun;

    /** @param interval how often to look; zero turns discovery off */
    TableDiscovery(String replicationId, long epoch, PgEndpoint source, PgEndpoint target, TenantScope scope,
                   String publication, TransactionApplier applier, Duration interval, LongSupplier nanoTime) {
        this.replicationId = replicationId;
        this.epoch = epoch;
        this.source = source;
        this.target = target;
        this.scope = scope;
        this.publication = publication;
        this.applier = applier;
        this.intervalNanos = interval.toNanos();
        this.nanoTime = nanoTime;
        this.lastRun = nanoTime.getAsLong() - intervalNanos; // the first look is at once
    }

    /**
     * Tells the applier which tables a sync copied past the checkpoint (read from the target): a
     * retry, a restart or another worker skips exactly what the copy holds. Call before streaming.
     */
    void resume() throws SQLException {
        Connection t = applier.targetSession();
        Map<TableId, Lsn> pending = TableSync.pending(t, replicationId);
        t.commit();
        pending.forEach(applier::skipCopied);
        if (!pending.isEmpty()) {
            log.info("replication {}: tables copied while streaming, skipped up to their copy: {}", replicationId, pending);
        }
    }

    /** Looks for new tables when the interval has passed since the last look. */
    void runIfDue() throws SQLException {
        if (intervalNanos <= 0 || nanoTime.getAsLong() - lastRun < intervalNanos) {
            return;
        }
        run();
        lastRun = nanoTime.getAsLong();
    }

    void run() throws SQLException {
        Connection s = applier.sourceSession();
        List<TableId> inScope = Catalog.tableIds(s, scope);
        Set<TableId> covered = Publications.covered(s, publication, inScope);
        List<TableId> adding = inScope.stream().filter(t -> !covered.contains(t)).toList();
        if (adding.isEmpty()) {
            return;
        }
        for (TableId t : adding) {
            Catalog.table(s, t).ifPresent(SchemaSync::requireReplicable);
        }
        log.info("replication {}: tables {} joined tenant {}'s scope; adding and copying them", replicationId, adding,
                scope.tenantId());
        TableSync.Synced synced = TableSync.run(source, target, scope, replicationId, epoch, publication, adding, inScope);
        for (TableId t : synced.tables()) {
            applier.skipCopied(t, synced.copiedAt());
        }
    }
}
