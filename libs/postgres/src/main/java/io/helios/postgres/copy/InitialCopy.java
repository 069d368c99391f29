package io.helios.postgres.copy;

import io.helios.postgres.SessionStatements;
import io.helios.core.change.Lsn;
import io.helios.core.change.TableId;
import io.helios.core.tenant.TenancyModel;
import io.helios.core.tenant.TenantScope;
import io.helios.postgres.PgEndpoint;
import io.helios.postgres.catalog.Catalog;
import io.helios.postgres.catalog.ColumnDef;
import io.helios.postgres.catalog.TableDef;
import io.helios.postgres.checkpoint.Checkpoints;
import io.helios.postgres.checkpoint.StaleLeaseException;
import io.helios.postgres.ddl.SchemaSync;
import io.helios.postgres.fence.Fence;
import io.helios.postgres.tenant.Discriminator;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.postgresql.copy.CopyOut;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Optional;
import java.util.function.LongConsumer;
import java.util.stream.Collectors;

/**
 * The consistent initial copy of one tenant: reads the source under an exported snapshot (the
 * one a replication slot was created with) and writes the target in ONE transaction that
 * also creates missing tables, clears the tenant's old rows (so a resync is idempotent),
 * fences the tenant and sets the checkpoint to the slot's consistent point, conditionally on the
 * lease epoch that claimed it (so a fenced copy changes nothing). The stream from
 * that slot then continues exactly where the copy ends. Binary COPY, chunk by chunk from the
 * source's COPY OUT into the target's COPY IN: no row-by-row work, no temporary files.
 * Stateless; the caller's thread does the work, and a {@link CopyCancellation} stops it from another.
 */
public final class InitialCopy {

    private static final Logger log = LoggerFactory.getLogger(InitialCopy.class);
    private static final long PROGRESS_EVERY_ROWS = 50_000;

    private InitialCopy() {
    }

    /**
     * Copies the tenant for a caller that did not claim the checkpoint row first (tools, tests):
     * the claim happens in the copy's own transaction. A worker claims first and cancels through
     * the other overload.
     */
    public static CopyResult run(PgEndpoint source, String snapshotName, Lsn consistentPoint, PgEndpoint target,
                                 TenantScope scope, String replicationId, long epoch, CopyProgress progress)
            throws SQLException {
        return run(source, snapshotName, consistentPoint, target, scope, replicationId, epoch, progress,
                new CopyCancellation(), true);
    }

    /**
     * Copies the tenant; {@code cancellation} lets another thread stop the copy at any point
     * (nothing of it is then committed). The copy commits only while {@code epoch} still holds
     * the checkpoint row that {@link Checkpoints#claim} wrote before it began: a copy fenced
     * by a newer lease (or a stop) throws {@link io.helios.postgres.checkpoint.StaleLeaseException}
     * and leaves the target as it was, the truncates included.
     */
    public static CopyResult run(PgEndpoint source, String snapshotName, Lsn consistentPoint, PgEndpoint target,
                                 TenantScope scope, String replicationId, long epoch, CopyProgress progress,
                                 CopyCancellation cancellation) throws SQLException {
        return run(source, snapshotName, consistentPoint, target, scope, replicationId, epoch, progress, cancellation,
                false);
    }

    /**
     * Copies the tenant as {@link #run(PgEndpoint, String, Lsn, PgEndpoint, TenantScope, String, long, CopyProgress,
     * CopyCancellation)} does, or, when {@code options} allow several sessions and the tenant is
     * large enough, with {@link ParallelCopy}: several COPY sessions on the one exported snapshot,
     * large tables split into block ranges, each part in a target transaction of its own that
     * commits only while {@code epoch} holds the checkpoint row, the checkpoint last.
     */
    public static CopyResult run(PgEndpoint source, String snapshotName, Lsn consistentPoint, PgEndpoint target,
                                 TenantScope scope, String replicationId, long epoch, CopyProgress progress,
                                 CopyCancellation cancellation, CopyOptions options) throws SQLException {
        if (options.parallelism() > 1) {
            Optional<CopyResult> parallel = ParallelCopy.runIfLarge(source, snapshotName, consistentPoint, target, scope,
                    replicationId, epoch, progress, cancellation, options);
            if (parallel.isPresent()) {
                return parallel.get();
            }
        }
        return run(source, snapshotName, consistentPoint, target, scope, replicationId, epoch, progress, cancellation,
                false);
    }

    /** @param claimHere claim the row in the copy's own transaction (callers that did not claim it first) */
    private static CopyResult run(PgEndpoint source, String snapshotName, Lsn consistentPoint, PgEndpoint target,
                                  TenantScope scope, String replicationId, long epoch, CopyProgress progress,
                                  CopyCancellation cancellation, boolean claimHere) throws SQLException {
        try (Connection src = source.open(); Connection tgt = target.open()) {
            cancellation.register(src);
            cancellation.register(tgt);
            src.setAutoCommit(false);
            tgt.setAutoCommit(false);
            try (Statement s = src.createStatement()) {
                s.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
                SessionStatements.useSnapshot(s, snapshotName);
            }
            try {
                CopyResult result = copyAll(src, tgt, scope, replicationId, epoch, consistentPoint, progress, claimHere);
                tgt.commit();
                src.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly(tgt, e);
                rollbackQuietly(src, e);
                throw e;
            }
        }
    }

    /** A cancelled copy's sessions are closed already: keep the copy's own failure, not the rollback's. */
    private static void rollbackQuietly(Connection c, Exception cause) {
        try {
            if (!c.isClosed()) {
                c.rollback();
            }
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }

    private static CopyResult copyAll(Connection src, Connection tgt, TenantScope scope, String replicationId, long epoch,
                                      Lsn consistentPoint, CopyProgress progress, boolean claimHere) throws SQLException {
        try (Statement s = tgt.createStatement()) {
            s.execute("SET LOCAL session_replication_role = replica");
        }
        Fence.installSchema(tgt);
        Checkpoints.installSchema(tgt);
        if (claimHere) {
            Checkpoints.claimInTransaction(tgt, replicationId, epoch);
        }
        if (!Checkpoints.held(tgt, replicationId, epoch)) {
            // fenced before it began (a newer lease or a stop): do not even truncate
            throw new StaleLeaseException(replicationId, epoch);
        }
        if (scope.model() != TenancyModel.DATABASE) {
            SchemaSync.ensureSchema(tgt, scope.targetSchema());
        }
        List<TableDef> tables = Catalog.tables(src, scope);
        long rows = 0;
        for (TableDef table : tables) {
            TableId targetId = new TableId(scope.targetSchemaFor(table.id().schema()), table.id().table());
            SchemaSync.createTableIfMissing(tgt, table, targetId.schema());
            clearTenant(tgt, targetId, scope);
            rows += copyTable(src, tgt, table, targetId, scope, progress);
            Fence.protect(tgt, targetId, scope);
        }
        Fence.fence(tgt, scope.tenantId(), "replica of replication " + replicationId);
        Checkpoints.completeCopy(tgt, replicationId, epoch, consistentPoint);
        log.info("initial copy of tenant {}: {} rows in {} tables up to {}", scope.tenantId(), rows, tables.size(),
                consistentPoint);
        return new CopyResult(tables.size(), rows);
    }

    /**
     * Copies one table of the tenant, as the initial copy does each of its tables, in the caller's
     * transactions: {@code src} under the snapshot to copy from, {@code tgt} with
     * {@code session_replication_role = replica} and the helios schema installed. Creates the target
     * table when missing, clears the tenant's rows from it, copies and fences it. Used for a table
     * that joins a running replication ({@link TableSync}).
     *
     * @return the rows copied
     */
    public static long copyOneTable(Connection src, Connection tgt, TableDef table, TenantScope scope,
                                    CopyProgress progress) throws SQLException {
        TableId targetId = new TableId(scope.targetSchemaFor(table.id().schema()), table.id().table());
        SchemaSync.createTableIfMissing(tgt, table, targetId.schema());
        clearTenant(tgt, targetId, scope);
        long rows = copyTable(src, tgt, table, targetId, scope, progress);
        Fence.protect(tgt, targetId, scope);
        return rows;
    }

    static void clearTenant(Connection tgt, TableId t, TenantScope scope) throws SQLException {
        if (scope.model() == TenancyModel.ROW) {
            Discriminator d = Discriminator.of(tgt, t, scope);
            try (PreparedStatement ps = tgt.prepareStatement("DELETE FROM " + t.quoted() + " WHERE " + d.predicate())) {
                d.bind(ps, 1);
                ps.executeUpdate();
            }
        } else {
            try (Statement s = tgt.createStatement()) {
                s.execute("TRUNCATE " + t.quoted());
            }
        }
    }

    private static long copyTable(Connection src, Connection tgt, TableDef table, TableId targetId, TenantScope scope,
                                  CopyProgress progress) throws SQLException {
        long estimate = estimate(src, table.id());
        progress.onTable(table.id(), 0, estimate);
        long[] done = {0};
        long rows = copyRows(src, tgt, table, targetId, scope, null, n -> {
            done[0] += n;
            progress.onTable(table.id(), done[0], Math.max(estimate, done[0]));
        });
        progress.onTable(table.id(), rows, Math.max(rows, 0));
        return rows;
    }

    /**
     * Pipes the tenant's rows of {@code table} (those in {@code range} too, when given: a
     * predicate on {@code ctid}) from the source's binary COPY OUT into the target's COPY IN, in
     * the callers' transactions. {@code copied} hears of every {@value #PROGRESS_EVERY_ROWS} rows
     * (a delta). Answers the rows copied.
     */
    static long copyRows(Connection src, Connection tgt, TableDef table, TableId targetId, TenantScope scope,
                         String range, LongConsumer copied) throws SQLException {
        String cols = table.columns().stream().map(ColumnDef::name).map(TableId::quote).collect(Collectors.joining(", "));
        List<String> conditions = new java.util.ArrayList<>();
        if (scope.model() == TenancyModel.ROW) {
            conditions.add(Discriminator.of(src, table.id(), scope).literalPredicate()); // COPY takes no parameter
        }
        if (range != null) {
            conditions.add(range);
        }
        String filter = conditions.isEmpty() ? "" : " WHERE " + String.join(" AND ", conditions);
        CopyOut out = src.unwrap(PGConnection.class).getCopyAPI()
                .copyOut("COPY (SELECT " + cols + " FROM " + table.id().quoted() + filter + ") TO STDOUT (FORMAT binary)");
        CopyIn in = null;
        try {
            in = tgt.unwrap(PGConnection.class).getCopyAPI()
                    .copyIn("COPY " + targetId.quoted() + " (" + cols + ") FROM STDIN (FORMAT binary)");
            // the server sends one CopyData message per row
            long messages = 0;
            byte[] chunk;
            while ((chunk = out.readFromCopy()) != null) {
                in.writeToCopy(chunk, 0, chunk.length);
                if (++messages % PROGRESS_EVERY_ROWS == 0) {
                    copied.accept(PROGRESS_EVERY_ROWS);
                }
            }
            long rows = in.endCopy();
            in = null;
            copied.accept(rows - (messages / PROGRESS_EVERY_ROWS) * PROGRESS_EVERY_ROWS);
            log.debug("copied {} rows of {} into {}{}", rows, table.id(), targetId, range == null ? "" : " (" + range + ")");
            return rows;
        } finally {
            if (in != null && in.isActive()) {
                in.cancelCopy();
            }
            if (out.isActive()) {
                out.cancelCopy();
            }
        }
    }

    static long estimate(Connection src, TableId t) throws SQLException {
        try (PreparedStatement ps = src.prepareStatement("SELECT greatest(reltuples, 0)::bigint FROM pg_class WHERE oid = ?::regclass")) {
            ps.setString(1, t.quoted());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0;
            }
        }
    }
}
