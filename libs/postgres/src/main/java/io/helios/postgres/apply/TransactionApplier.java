package io.helios.postgres.apply;

import io.helios.core.apply.ConflictStrategy;
import io.helios.core.change.Change;
import io.helios.core.change.Lsn;
import io.helios.core.change.Relation;
import io.helios.core.change.SourceTransaction;
import io.helios.core.change.TableId;
import io.helios.core.tenant.TenancyModel;
import io.helios.core.tenant.TenantScope;
import io.helios.postgres.PgEndpoint;
import io.helios.postgres.checkpoint.Checkpoints;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Applies groups of whole source transactions to one replication's target, exactly once: each
 * {@link #apply} is one target transaction that follows schema changes, applies the changes in
 * source order (runs of like changes batched, long insert runs through COPY), and advances the
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
    private final TenantScope scope;
    private final String replicationId;
    private final long epoch;
    private final ConflictStrategy strategy;
    private final SchemaReconciler reconciler;
    private final Map<Integer, TargetTable> tables = new HashMap<>();
    private final Map<String, PreparedStatement> statements = new HashMap<>();
    private final Map<TargetTable, TableTraits> traits = new IdentityHashMap<>();
    private final Durability durability = new Durability();
    private Connection conn;
    private Connection sourceConn;
    private Lsn applied;
    private long conflictsSkipped;

    public TransactionApplier(PgEndpoint target, PgEndpoint source, TenantScope scope, String replicationId, long epoch,
                              ConflictStrategy strategy) {
        this.target = target;
        this.source = source;
        this.scope = scope;
        this.replicationId = replicationId;
        this.epoch = epoch;
        this.strategy = strategy == null ? ConflictStrategy.ERROR : strategy;
        this.reconciler = new SchemaReconciler(scope, this::sourceConnection);
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

    /** Conflicting changes skipped so far under KEEP_TARGET or SOURCE_WINS. */
    public long conflictsSkipped() {
        return conflictsSkipped;
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
            } catch (ReductionMisfit e) {
                // the reduced group did not fit the target: start the transaction over, in source order
                log.info("replication {}: reduced apply did not fit the target ({}); applying the group in source order",
                        replicationId, e.getMessage());
                c.rollback();
                tables.clear(); // a table created in the rolled-back transaction is gone again
                traits.clear();
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

    private ApplyResult applyWithoutReduction(Connection c, List<SourceTransaction> group) throws SQLException {
        try {
            return applyGroup(c, group, false);
        } catch (ReductionMisfit e) {
            throw new IllegalStateException("a group applied without reduction cannot misfit it", e);
        }
    }

    private ApplyResult applyGroup(Connection c, List<SourceTransaction> group, boolean reduce)
            throws SQLException, ReductionMisfit {
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
        Map<TargetTable, List<Change>> byTable = byTable(c, todo);
        long written = rows;
        if (byTable == null) {
            applyInSourceOrder(c, todo);
        } else if (strategy != ConflictStrategy.ERROR || !reduce) {
            // conflict strategies decide per source change: no reduction, but tables stay apart
            for (Map.Entry<TargetTable, List<Change>> e : byTable.entrySet()) {
                applyInOrder(c, e.getKey(), e.getValue());
            }
        } else {
            written = applyReduced(c, byTable);
        }
        SourceTransaction last = todo.get(todo.size() - 1);
        durability.observed(Checkpoints.advance(c, replicationId, epoch, last.endLsn(), last.commitTime()));
        return new ApplyResult(todo.size(), rows, last.endLsn(), last.commitTime(), written);
    }

    /**
     * The group's changes per target table, each table's in source order, tables in the order the
     * group first touched them; null when the group must be applied exactly in source order: it
     * truncates, or a table changes shape within it (its changes then straddle a schema change).
     * Applying tables apart is safe because the session's {@code session_replication_role = replica}
     * disables the foreign-key triggers, the only constraints that look across tables.
     */
    private Map<TargetTable, List<Change>> byTable(Connection c, List<SourceTransaction> todo) throws SQLException {
        // by identity: a TargetTable is one shape's, and hashing its relation per change would cost more than the apply
        Map<TargetTable, List<Change>> out = new IdentityHashMap<>();
        List<TargetTable> order = new ArrayList<>();
        Map<Integer, TargetTable> shapes = new HashMap<>();
        for (SourceTransaction tx : todo) {
            for (Change ch : tx.changes()) {
                if (ch.op() == Change.Op.TRUNCATE) {
                    return null;
                }
                TargetTable t = table(c, ch.relation());
                TargetTable seen = shapes.putIfAbsent(ch.relation().oid(), t);
                if (seen != null && seen != t) {
                    return null;
                }
                List<Change> changes = out.get(t);
                if (changes == null) {
                    changes = new ArrayList<>();
                    out.put(t, changes);
                    order.add(t);
                }
                changes.add(ch);
            }
        }
        Map<TargetTable, List<Change>> ordered = new LinkedHashMap<>();
        for (TargetTable t : order) {
            ordered.put(t, out.get(t));
        }
        return ordered;
    }

    /**
     * Applies each table's net effect set-based where rows are independent, the others in source
     * order. When a reduced statement does not find every row it should, or meets a constraint,
     * {@link ReductionMisfit} makes {@link #apply} roll the transaction back and redo the group in
     * source order, so the reduction can never fail or change a group that in-order apply would
     * have applied (and a group that diverges fails with the in-order message naming the row).
     * No savepoint: it would cost a round trip and a subtransaction for every group, to save work
     * only in the rare group that misfits.
     */
    private long applyReduced(Connection c, Map<TargetTable, List<Change>> byTable) throws SQLException, ReductionMisfit {
        long written = 0;
        for (Map.Entry<TargetTable, List<Change>> e : byTable.entrySet()) {
            TargetTable t = e.getKey();
            TableTraits known = traits(c, t);
            NetChanges net = known.reorderSafe() ? NetChanges.of(t, e.getValue()) : null;
            if (net == null) {
                applyInOrder(c, t, e.getValue());
                written += e.getValue().size();
                continue;
            }
            try {
                written += SetApply.apply(c, net, known, statements);
            } catch (SetApply.Mismatch m) {
                throw new ReductionMisfit(m.getMessage());
            } catch (SQLException sql) {
                if (!integrityViolation(sql)) {
                    throw sql;
                }
                throw new ReductionMisfit(sql.getMessage());
            }
        }
        return written;
    }

    /** The reduced group did not fit the target; it is redone in source order. */
    private static final class ReductionMisfit extends Exception {
        ReductionMisfit(String message) {
            super(message, null, false, false);
        }
    }

    private static boolean integrityViolation(SQLException e) {
        return e.getSQLState() != null && e.getSQLState().startsWith("23");
    }

    private TableTraits traits(Connection c, TargetTable t) throws SQLException {
        TableTraits known = traits.get(t);
        if (known == null) {
            known = TableTraits.read(c, t);
            traits.put(t, known);
        }
        return known;
    }

    /** One table's changes in source order, runs of like changes batched. */
    private void applyInOrder(Connection c, TargetTable t, List<Change> changes) throws SQLException {
        ChangeRun run = null;
        for (Change ch : changes) {
            if (run == null || !run.tryAdd(t, ch)) {
                flush(c, run);
                run = ChangeRun.startWith(t, ch);
            }
        }
        flush(c, run);
    }

    /** The group exactly as the source ordered it, across tables: for truncates and schema changes. */
    private void applyInSourceOrder(Connection c, List<SourceTransaction> todo) throws SQLException {
        ChangeRun run = null;
        for (SourceTransaction tx : todo) {
            for (Change ch : tx.changes()) {
                if (ch.op() == Change.Op.TRUNCATE) {
                    flush(c, run);
                    run = null;
                    truncate(c, ch.truncated());
                } else {
                    TargetTable t = table(c, ch.relation());
                    if (run == null || !run.tryAdd(t, ch)) {
                        flush(c, run);
                        run = ChangeRun.startWith(t, ch);
                    }
                }
            }
        }
        flush(c, run);
    }

    private void flush(Connection c, ChangeRun run) throws SQLException {
        if (run != null) {
            conflictsSkipped += run.execute(c, statements, strategy);
        }
    }

    private TargetTable table(Connection c, Relation relation) throws SQLException {
        TargetTable known = tables.get(relation.oid());
        // the capture engine hands the same Relation instance until the table's shape changes
        if (known != null && known.relation() == relation) {
            return known;
        }
        if (known != null && known.relation().equals(relation)) {
            // the same shape from a new stream (a reconnect): remember this instance, so the
            // next changes match by identity instead of comparing every column again
            TargetTable same = new TargetTable(relation, known.target(), known.keyPositions());
            tables.put(relation.oid(), same);
            return same;
        }
        TargetTable t = reconciler.reconcile(c, relation);
        tables.put(relation.oid(), t);
        statements.values().forEach(TransactionApplier::closeQuietly);
        statements.clear();
        traits.clear();
        return t;
    }

    /** SCHEMA and DATABASE tenants own their tables; a ROW tenant only its rows of them. */
    private void truncate(Connection c, List<Relation> relations) throws SQLException {
        List<TableId> targets = new ArrayList<>();
        for (Relation r : relations) {
            targets.add(table(c, r).target());
        }
        if (scope.model() != TenancyModel.ROW) {
            try (Statement s = c.createStatement()) {
                s.execute("TRUNCATE " + targets.stream().map(TableId::quoted).collect(Collectors.joining(", ")));
            }
            return;
        }
        for (TableId t : targets) {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + t.quoted() + " WHERE "
                    + TableId.quote(scope.discriminatorColumn()) + "::text = ?")) {
                ps.setString(1, scope.tenantId());
                ps.executeUpdate();
            }
        }
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
            String name = "helios-apply-" + replicationId.substring(0, Math.min(8, replicationId.length()));
            s.execute("SET application_name = '" + name.replace("'", "''") + "'");
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
        statements.values().forEach(TransactionApplier::closeQuietly);
        statements.clear();
        tables.clear();
        traits.clear();
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
