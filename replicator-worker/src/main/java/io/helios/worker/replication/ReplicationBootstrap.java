package io.helios.worker.replication;

import io.helios.core.change.Lsn;
import io.helios.core.change.TableId;
import io.helios.core.tenant.TenantScope;
import io.helios.postgres.PgEndpoint;
import io.helios.postgres.catalog.Catalog;
import io.helios.postgres.catalog.TableDef;
import io.helios.postgres.checkpoint.Checkpoint;
import io.helios.postgres.checkpoint.Checkpoints;
import io.helios.postgres.checkpoint.StaleLeaseException;
import io.helios.postgres.copy.CopyCancellation;
import io.helios.postgres.copy.CopyOptions;
import io.helios.postgres.copy.CopyResult;
import io.helios.postgres.copy.InitialCopy;
import io.helios.postgres.copy.TableSync;
import io.helios.postgres.fence.Fence;
import io.helios.postgres.slot.Publications;
import io.helios.postgres.slot.ReplicationNames;
import io.helios.postgres.slot.ReplicationSlots;
import io.helios.postgres.slot.SlotSnapshot;
import io.helios.postgres.slot.SlotState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * Brings a replication to the point where streaming can start, idempotently:
 * claims the target checkpoint under this lease's epoch (so an older worker can no longer
 * apply nor commit a copy), makes sure the publication exists, and then either resumes from the
 * checkpoint (refusing when the slot is gone or confirmed past it) or, when the target holds no
 * position, creates the slot with an exported snapshot, checks the claim still holds, and copies
 * the tenant under that snapshot. The copy and the checkpoint at the slot's consistent point
 * commit in one target transaction (a large tenant: in parts, the checkpoint last, see
 * {@code ParallelCopy}), only while this epoch holds the row, so the stream that follows has no
 * gap and no duplicate. A copy is stopped through the {@link CopyCancellation}.
 */
final class ReplicationBootstrap {

    private static final Logger log = LoggerFactory.getLogger(ReplicationBootstrap.class);

    private final String replicationId;
    private final long epoch;
    private final PgEndpoint source;
    private final PgEndpoint target;
    private final TenantScope scope;
    private final CopyCancellation cancellation;
    private final CopyOptions copyOptions;

    /**
     * @param cancellation stops a running initial copy when the runner is told to stop
     * @param copyOptions  how many sessions an initial copy of a large tenant may use
     */
    ReplicationBootstrap(String replicationId, long epoch, PgEndpoint source, PgEndpoint target, TenantScope scope,
                         CopyCancellation cancellation, CopyOptions copyOptions) {
        this.replicationId = replicationId;
        this.epoch = epoch;
        this.source = source;
        this.target = target;
        this.scope = scope;
        this.cancellation = cancellation;
        this.copyOptions = copyOptions;
    }

    /**
     * @param t        the target session to claim on (the applier's; left open, committed)
     * @param s        a source connection for the catalog, publication and slot checks (left open)
     * @param onCopy   called when an initial copy begins
     * @param progress rows copied so far and rows estimated, over all tables
     * @return the LSN up to which the target holds the tenant: stream from there
     */
    Lsn prepare(Connection t, Connection s, Runnable onCopy, BiConsumer<Long, Long> progress) throws Exception {
        // schema helios before the claim, each part in a short transaction: concurrent bootstraps onto
        // one target then wait only for each other's DDL, never for another's whole initial copy
        Checkpoints.installSchema(t);
        Fence.installSchema(t);
        TableSync.installSchema(t);
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
            Lsn at = checkpoint.get().lsn();
            requireContinuous(s, slot, at);
            log.info("replication {}: resuming after {}", replicationId, at);
            return at;
        }
        if (ReplicationSlots.drop(s, slot)) {
            log.info("replication {}: dropped the slot left by an unfinished initial copy", replicationId);
        }
        onCopy.run();
        return copy(t, s, slot, progress);
    }

    /**
     * Refuses to resume where the slot cannot continue the target: a slot that is gone, or one
     * confirmed past the checkpoint (the server would start after changes the target never got).
     */
    private void requireContinuous(Connection s, String slot, Lsn checkpoint) throws SQLException {
        if (!ReplicationSlots.exists(s, slot)) {
            throw new IllegalStateException("replication slot " + slot + " is missing on the source although the"
                    + " target has a checkpoint at " + checkpoint + ": changes since then are lost;"
                    + " stop and start the replication to copy the tenant again");
        }
        Optional<SlotState> state = ReplicationSlots.find(s, slot);
        if (state.isPresent() && state.get().confirmedFlush().compareTo(checkpoint) > 0) {
            throw new IllegalStateException("replication slot " + slot + " is confirmed up to "
                    + state.get().confirmedFlush() + " but the target holds only up to " + checkpoint
                    + ": the changes in between would be skipped; stop and start the replication to copy the tenant again");
        }
    }

    private Lsn copy(Connection t, Connection s, String slot, BiConsumer<Long, Long> progress) throws SQLException {
        Map<TableId, long[]> perTable = new HashMap<>();
        try (SlotSnapshot snapshot = ReplicationSlots.createWithSnapshot(source, slot)) {
            requireStillClaimed(t, s, slot, snapshot.consistentPoint());
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
                    }, cancellation, copyOptions);
            log.info("replication {}: copied {} rows of {} tables", replicationId, result.rows(), result.tables());
            return snapshot.consistentPoint();
        }
    }

    /**
     * A stop (or a newer lease) may have fenced the checkpoint row between the claim and the
     * slot's creation, and dropped the slot before this one existed: the slot just created would
     * then be nobody's. Drops it (only if it is still the one created here: unused, at its
     * consistent point) and gives up.
     */
    private void requireStillClaimed(Connection t, Connection s, String slot, Lsn consistentPoint) throws SQLException {
        boolean auto = t.getAutoCommit();
        t.setAutoCommit(true);
        boolean held;
        try {
            held = Checkpoints.held(t, replicationId, epoch);
        } finally {
            t.setAutoCommit(auto);
        }
        if (held) {
            return;
        }
        try (PreparedStatement ps = s.prepareStatement("SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots"
                + " WHERE slot_name = ? AND NOT active AND confirmed_flush_lsn = ?::pg_lsn")) {
            ps.setString(1, slot);
            ps.setString(2, consistentPoint.toString());
            try (ResultSet rs = ps.executeQuery()) {
                log.info("replication {}: lease epoch {} was fenced while the slot was created; slot dropped: {}",
                        replicationId, epoch, rs.next());
            }
        }
        throw new StaleLeaseException(replicationId, epoch);
    }
}
