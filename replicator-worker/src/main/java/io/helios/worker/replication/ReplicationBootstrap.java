package io.helios.worker.replication;

import io.helios.core.change.Lsn;
import io.helios.core.change.TableId;
import io.helios.core.tenant.TenantScope;
import io.helios.postgres.PgEndpoint;
import io.helios.postgres.catalog.Catalog;
import io.helios.postgres.catalog.TableDef;
import io.helios.postgres.checkpoint.Checkpoint;
import io.helios.postgres.checkpoint.Checkpoints;
import io.helios.postgres.copy.CopyResult;
import io.helios.postgres.copy.InitialCopy;
import io.helios.postgres.slot.Publications;
import io.helios.postgres.slot.ReplicationNames;
import io.helios.postgres.slot.ReplicationSlots;
import io.helios.postgres.slot.SlotSnapshot;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * Brings a replication to the point where streaming can start, idempotently:
 * claims the target checkpoint under this lease's epoch (so an older worker can no longer
 * apply), makes sure the publication exists, and then either resumes from the checkpoint or,
 * when the target has none, creates the slot with an exported snapshot and copies the tenant
 * under that snapshot. The copy and the checkpoint at the slot's consistent point commit in
 * one target transaction, so the stream that follows has no gap and no duplicate.
 */
final class ReplicationBootstrap {

    private static final Logger log = LoggerFactory.getLogger(ReplicationBootstrap.class);

    private final String replicationId;
    private final long epoch;
    private final PgEndpoint source;
    private final PgEndpoint target;
    private final TenantScope scope;

    ReplicationBootstrap(String replicationId, long epoch, PgEndpoint source, PgEndpoint target, TenantScope scope) {
        this.replicationId = replicationId;
        this.epoch = epoch;
        this.source = source;
        this.target = target;
        this.scope = scope;
    }

    /**
     * @param t        the target session to claim on (the applier's; left open, committed)
     * @param s        a source connection for the catalog, publication and slot checks (left open)
     * @param onCopy   called when an initial copy begins
     * @param progress rows copied so far and rows estimated, over all tables
     * @return the LSN up to which the target holds the tenant: stream from there
     */
    Lsn prepare(Connection t, Connection s, Runnable onCopy, BiConsumer<Long, Long> progress) throws Exception {
        Checkpoints.installSchema(t);
        Optional<Checkpoint> checkpoint = Checkpoints.claim(t, replicationId, epoch);
        String slot = ReplicationNames.slot(replicationId);
        List<TableId> tables = Catalog.tables(s, scope).stream().map(TableDef::id).toList();
        String publication = ReplicationNames.publication(replicationId);
        if (checkpoint.isPresent() && Publications.exists(s, publication)) {
            // a table that joined the scope since is added by TableDiscovery, which copies it first
            Set<TableId> covered = Publications.covered(s, publication, tables);
            tables = tables.stream().filter(covered::contains).toList();
        }
        Publications.ensure(s, publication, scope, tables);
        if (checkpoint.isPresent()) {
            if (!ReplicationSlots.exists(s, slot)) {
                throw new IllegalStateException("replication slot " + slot + " is missing on the source although the"
                        + " target has a checkpoint at " + checkpoint.get().lsn() + ": changes since then are lost;"
                        + " stop and start the replication to copy the tenant again");
            }
            log.info("replication {}: resuming after {}", replicationId, checkpoint.get().lsn());
            return checkpoint.get().lsn();
        }
        if (ReplicationSlots.drop(s, slot)) {
            log.info("replication {}: dropped the slot left by an unfinished initial copy", replicationId);
        }
        onCopy.run();
        return copy(slot, progress);
    }

    private Lsn copy(String slot, BiConsumer<Long, Long> progress) throws java.sql.SQLException {
        Map<TableId, long[]> perTable = new HashMap<>();
        try (SlotSnapshot snapshot = ReplicationSlots.createWithSnapshot(source, slot)) {
            log.info("replication {}: initial copy of tenant {} at {}", replicationId, scope.tenantId(),
                    snapshot.consistentPoint());
            CopyResult result = InitialCopy.run(source, snapshot.snapshotName(), snapshot.consistentPoint(), target,
                    scope, replicationId, epoch, (table, done, estimated) -> {
                        perTable.put(table, new long[]{done, estimated});
                        long d = 0;
                        long e = 0;
                        for (long[] v : perTable.values()) {
                            d += v[0];
                            e += Math.max(v[0], v[1]);
                        }
                        progress.accept(d, e);
                    });
            log.info("replication {}: copied {} rows of {} tables", replicationId, result.rows(), result.tables());
            return snapshot.consistentPoint();
        }
    }
}
