package io.helios.postgres.apply;

import io.helios.postgres.SessionStatements;
import io.helios.core.apply.ConflictStrategy;
import io.helios.core.change.Lsn;
import io.helios.core.change.SourceTransaction;
import io.helios.core.tenant.TenantScope;
import io.helios.postgres.PgEndpoint;
import io.helios.postgres.checkpoint.Checkpoints;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Applies groups of whole source transactions to one replication's target, exactly once: each
 * {@link #apply} is one target transaction that follows schema changes, writes the changes (see
 * {@link GroupWriter}: per table, reduced to their net effect where rows are independent), and advances the
 * checkpoint to the group's last end LSN under this lease's epoch; any failure rolls all of it
 * back. The session runs with {@code session_replication_role = replica}, so the fence's
 * triggers (and foreign keys) do not fire for it.
 *
 * <p>Single-threaded: owned by one replication runner. Holds one target connection (and a
 * source connection for type names, opened on first need); {@link #close()} releases them.
 */
public final class TransactionApplier implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(TransactionApplier.class);

    private final PgEndpoint target;
    private final PgEndpoint source;
    private final String replicationId;
    private final long epoch;
    private final GroupWriter writer;
    private final Durability durability = new Durability();
    private final CopiedTables copied = new CopiedTables();
    private Connection conn;
    private Connection sourceConn;
    private Lsn applied;

    public TransactionApplier(PgEndpoint target, PgEndpoint source, TenantScope scope, String replicationId, long epoch,
                              ConflictStrategy strategy) {
        this.target = target;
        this.source = source;
        this.replicationId = replicationId;
        this.epoch = epoch;
        this.writer = new GroupWriter(scope, strategy == null ? ConflictStrategy.ERROR : strategy,
                new SchemaReconciler(scope, this::sourceConnection), copied);
    }

    public long epoch() {
        return epoch;
    }

    /**
     * The target session the applier works in, opened now with its session settings if it is not
     * yet: the bootstrap claims the checkpoint on it before streaming starts, so that neither a
     * connect nor the session set-up lies between the first decoded transaction and its apply.
     */
    public Connection targetSession() throws SQLException {
        if (conn == null) {
            conn = openSession();
        }
        return conn;
    }

    /** The source connection the applier reads type names and table definitions on, opened now if it is not yet. */
    public Connection sourceSession() throws SQLException {
        return sourceConnection();
    }

    /**
     * Where the stream resumes, as the bootstrap established it (the claimed checkpoint, or the
     * consistent point of an initial copy): transactions ending at or before it are skipped.
     */
    public void resumeAfter(Lsn lsn) {
        applied = lsn;
    }

    /**
     * A table copied while the replication runs, up to {@code upTo} (see
     * {@link io.helios.postgres.copy.TableSync}): its changes in transactions ending at or before
     * that position are in the copy and are skipped; later ones are applied.
     */
    public void skipCopied(io.helios.core.change.TableId table, Lsn upTo) {
        copied.copied(table, upTo);
    }

    /** Conflicting changes skipped so far under KEEP_TARGET or SOURCE_WINS. */
    public long conflictsSkipped() {
        return writer.conflictsSkipped();
    }

    /**
     * Applies the group in one target transaction; transactions at or below the checkpoint are
     * skipped. Throws {@link io.helios.postgres.checkpoint.StaleLeaseException} when a newer lease
     * holds the checkpoint, {@link ConflictException} or
     * {@link io.helios.postgres.ddl.SchemaMismatchException} when a change cannot be applied;
     * nothing of the group stays on the target then.
     */
    public ApplyResult apply(List<SourceTransaction> group) throws SQLException {
        Connection c = connection();
        try {
            ApplyResult result;
            try {
                result = applyGroup(c, group, true);
            } catch (GroupWriter.ReductionMisfit e) {
                // the reduced group did not fit the target: start the transaction over, in source order
                log.info("replication {}: reduced apply did not fit the target ({}); applying the group in source order",
                        replicationId, e.getMessage());
                c.rollback();
                writer.forget();
                result = applyWithoutReduction(c, group);
            }
            c.commit();
            if (result.lastEndLsn() != null) {
                applied = result.lastEndLsn();
                durability.committed(result.lastEndLsn());
            }
            log.debug("replication {}: applied {} transactions, {} rows, up to {}", replicationId, result.transactions(),
                    result.rows(), result.lastEndLsn());
            return result;
        } catch (SQLException | RuntimeException e) {
            discardConnection();
            throw e;
        }
    }

    /**
     * Moves the checkpoint forward to {@code upTo} without changes, in a target transaction of its
     * own: the capture engine saw nothing in flight up to there ({@code CaptureEngine#idleUpTo}),
     * so the source WAL before it holds nothing more for the tenant. Recorded before the slot is
     * confirmed past the last applied transaction, so the slot never passes the checkpoint;
     * conditional on this lease's epoch and forward only. Durable like an applied group.
     *
     * @return whether the checkpoint moved
     */
    public boolean recordIdle(Lsn upTo) throws SQLException {
        if (applied == null || upTo.isAtOrBefore(applied)) {
            return false;
        }
        Connection c = connection();
        try {
            boolean moved = Checkpoints.release(c, replicationId, epoch, upTo);
            c.commit();
            if (moved) {
                applied = upTo;
                durability.committed(upTo);
            }
            return moved;
        } catch (SQLException | RuntimeException e) {
            discardConnection();
            throw e;
        }
    }

    private ApplyResult applyWithoutReduction(Connection c, List<SourceTransaction> group) throws SQLException {
        try {
            return applyGroup(c, group, false);
        } catch (GroupWriter.ReductionMisfit e) {
            throw new IllegalStateException("a group applied without reduction cannot misfit it", e);
        }
    }

    private ApplyResult applyGroup(Connection c, List<SourceTransaction> group, boolean reduce)
            throws SQLException, GroupWriter.ReductionMisfit {
        List<SourceTransaction> todo = new ArrayList<>(group.size());
        long rows = 0;
        for (SourceTransaction tx : group) {
            if (applied == null || !tx.endLsn().isAtOrBefore(applied)) {
                todo.add(tx);
                rows += tx.rowCount();
            }
        }
        if (todo.isEmpty()) {
            return new ApplyResult(0, 0, null, null, 0);
        }
        if (!copied.isEmpty()) {
            copied.passed(applied);
            todo = copied.withoutCopied(todo);
            rows = todo.stream().mapToLong(SourceTransaction::rowCount).sum();
        }
        long written = writer.write(c, todo, rows, reduce);
        SourceTransaction last = todo.get(todo.size() - 1);
        durability.observed(Checkpoints.advance(c, replicationId, epoch, last.endLsn(), last.commitTime()));
        return new ApplyResult(todo.size(), rows, last.endLsn(), last.commitTime(), written);
    }

    /**
     * The newest source end LSN whose target transaction is on the target's disk: what may be
     * confirmed to the source slot. Commits are asynchronous (see {@link Durability}); null while
     * nothing new is durable.
     */
    public Lsn durableUpTo() throws SQLException {
        return conn == null ? null : durability.durableUpTo(conn);
    }

    /**
     * On a clean stop: waits until everything applied is on the target's disk and answers the
     * newest source LSN that may now be confirmed, so the slot does not resend what was applied
     * (null when nothing new became durable).
     */
    public Lsn flushDurable() throws SQLException {
        if (conn == null) {
            return null;
        }
        return durability.flush(conn);
    }

    /** The session, reopened after a failure with the position read back from the checkpoint. */
    private Connection connection() throws SQLException {
        if (conn == null) {
            Connection c = openSession();
            applied = Checkpoints.read(c, replicationId).map(cp -> cp.lsn()).orElse(null);
            c.commit();
            conn = c;
        }
        return conn;
    }

    private Connection openSession() throws SQLException {
        Connection c = target.open();
        try (Statement s = c.createStatement()) {
            s.execute("SET session_replication_role = replica");
            // commits need not wait for the disk: the slot is confirmed only once they are on it
            s.execute("SET synchronous_commit = off");
            // set-based statements join a group's rows (unnest of arrays) to the table by its key: the
            // planner would build a hash of the whole table for a few thousand rows (measured: 45 ms
            // against 5 ms for index look-ups, 100K rows); the session runs nothing else
            s.execute("SET enable_hashjoin = off");
            s.execute("SET enable_mergejoin = off");
            String name = "helios-apply-" + replicationId.substring(0, Math.min(8, replicationId.length()));
            SessionStatements.applicationName(c, name);
            c.setAutoCommit(false);
        } catch (SQLException | RuntimeException e) {
            closeQuietly(c);
            throw e;
        }
        return c;
    }

    private Connection sourceConnection() throws SQLException {
        if (sourceConn == null || sourceConn.isClosed()) {
            sourceConn = source.open();
        }
        return sourceConn;
    }

    /** After a failure the session may hold half a transaction or cached shapes that were rolled back: start afresh. */
    private void discardConnection() {
        writer.reset();
        durability.reset();
        if (conn != null) {
            try {
                conn.rollback();
            } catch (SQLException e) {
                log.debug("rollback after failed apply: {}", e.getMessage());
            }
            closeQuietly(conn);
            conn = null;
        }
    }

    @Override
    public void close() {
        discardConnection();
        closeQuietly(sourceConn);
        sourceConn = null;
    }

    private static void closeQuietly(AutoCloseable c) {
        if (c != null) {
            try {
                c.close();
            } catch (Exception e) {
                log.debug("close: {}", e.getMessage());
            }
        }
    }
}
