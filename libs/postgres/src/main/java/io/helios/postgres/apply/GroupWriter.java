package io.helios.postgres.apply;

import io.helios.core.apply.ConflictStrategy;
import io.helios.core.change.Change;
import io.helios.core.change.Relation;
import io.helios.core.change.SourceTransaction;
import io.helios.core.change.TableId;
import io.helios.core.tenant.TenancyModel;
import io.helios.core.tenant.TenantScope;
import io.helios.core.spill.SpilledChanges;
import io.helios.postgres.tenant.Discriminator;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * How a group's changes reach the target's tables, inside the transaction {@link TransactionApplier}
 * opened: split by table, each table reduced to its net effect per row and applied set-based where
 * rows are independent ({@link NetChanges}, {@link SetApply}), in source order where they are not,
 * and the whole group in source order when it truncates or changes a table's shape. Keeps what it
 * learnt of the target's tables (shapes, traits, prepared statements) across groups;
 * {@link #forget()} drops it after a rollback. Single-threaded, owned by one applier.
 */
final class GroupWriter {

    /** Most changes of a spilled transaction executed as one run: what its apply holds in memory. */
    static final int SPILLED_RUN_CHANGES = 2_000;

    private final TenantScope scope;
    private final ConflictStrategy strategy;
    private final SchemaReconciler reconciler;
    private final CopiedTables copied;
    private final Map<Integer, TargetTable> tables = new HashMap<>();
    private final Map<String, PreparedStatement> statements = new HashMap<>();
    private final Map<TargetTable, TableTraits> traits = new IdentityHashMap<>();
    private final SetBatch batch = new SetBatch();
    private long conflictsSkipped;

    GroupWriter(TenantScope scope, ConflictStrategy strategy, SchemaReconciler reconciler, CopiedTables copied) {
        this.copied = copied;
        this.scope = scope;
        this.strategy = strategy;
        this.reconciler = reconciler;
    }

    /** The reduced group did not fit the target; it is redone in source order. */
    static final class ReductionMisfit extends Exception {
        ReductionMisfit(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * Writes the transactions' changes; answers the row writes the target performed.
     *
     * @param reduce false to apply every table in source order (after a {@link ReductionMisfit})
     */
    long write(Connection c, List<SourceTransaction> todo, long rows, boolean reduce) throws SQLException, ReductionMisfit {
        if (todo.stream().anyMatch(SourceTransaction::isSpilled)) {
            // too large for memory: streamed back from disk in source order, in bounded runs
            for (SourceTransaction tx : todo) {
                applyStreamed(c, tx);
            }
            return rows;
        }
        Map<TargetTable, List<Change>> byTable = byTable(c, todo);
        if (byTable == null) {
            applyInSourceOrder(c, todo);
            return rows;
        }
        if (strategy != ConflictStrategy.ERROR || !reduce) {
            // conflict strategies decide per source change: no reduction, but tables stay apart
            for (Map.Entry<TargetTable, List<Change>> e : byTable.entrySet()) {
                applyInOrder(c, e.getKey(), e.getValue());
            }
            return rows;
        }
        return applyReduced(c, byTable);
    }

    long conflictsSkipped() {
        return conflictsSkipped;
    }

    /** After a rollback: tables created or learnt in it may be gone again, and the session may be new. */
    void forget() {
        tables.clear();
        traits.clear();
    }

    /** Closes the prepared statements (the session is being discarded) and forgets the tables. */
    void reset() {
        statements.values().forEach(GroupWriter::closeQuietly);
        statements.clear();
        batch.reset();
        forget();
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
                    if (!seen.relation().equals(t.relation())) {
                        return null; // the shape changed inside the group: source order
                    }
                    // the same shape sent again (the walsender re-sends a relation after a cache
                    // invalidation, an ANALYZE say): still one table, so its rows still reduce
                    shapes.put(ch.relation().oid(), t);
                    List<Change> earlier = out.remove(seen);
                    if (earlier != null) {
                        out.put(t, earlier);
                        order.set(order.indexOf(seen), t);
                    }
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
     * {@link ReductionMisfit} makes {@link TransactionApplier#apply} roll the transaction back and redo the group in
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
                written += SetApply.apply(c, net, known, batch);
            } catch (SetApply.Mismatch | SQLException failure) {
                throw misfitOr(failure);
            }
        }
        try {
            return written + batch.execute(c);
        } catch (SetApply.Mismatch | SQLException e) {
            throw misfitOr(e);
        }
    }

    /** A mismatch or a constraint a reduced statement met makes the group misfit; anything else is what it is. */
    private ReductionMisfit misfitOr(Exception e) throws SQLException {
        batch.discardQueued();
        if (e instanceof SQLException sql && !integrityViolation(sql)) {
            throw sql;
        }
        return new ReductionMisfit(e.getMessage());
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
            run = inSourceOrder(c, tx.changes().iterator(), run, Integer.MAX_VALUE);
        }
        flush(c, run);
    }

    /**
     * One transaction in source order, its changes read from its spill file when it has one, a
     * chunk at a time: runs are cut at {@link #SPILLED_RUN_CHANGES} so that memory stays bounded
     * (consecutive runs of one statement are what one long run would do).
     */
    private void applyStreamed(Connection c, SourceTransaction tx) throws SQLException {
        SpilledChanges spilled = tx.spilled();
        if (spilled == null) {
            flush(c, inSourceOrder(c, copied.withoutCopied(tx.changes().iterator(), tx.endLsn()), null, SPILLED_RUN_CHANGES));
            return;
        }
        try (SpilledChanges.Cursor cursor = spilled.open()) {
            // a table copied while running holds this transaction's changes of it when it ends at or before the copy
            flush(c, inSourceOrder(c, copied.withoutCopied(cursor, tx.endLsn()), null, SPILLED_RUN_CHANGES));
        } catch (IOException | UncheckedIOException e) {
            throw new SQLException("cannot read back the spilled changes of source transaction " + tx.xid() + ": "
                    + e.getMessage(), "58030", e);
        }
    }

    /** Applies the changes in order, continuing {@code run}; answers the run left open. */
    private ChangeRun inSourceOrder(Connection c, Iterator<Change> changes, ChangeRun run, int maxRun) throws SQLException {
        int inRun = 0;
        while (changes.hasNext()) {
            Change ch = changes.next();
            if (ch.op() == Change.Op.TRUNCATE) {
                flush(c, run);
                run = null;
                truncate(c, ch.truncated());
            } else {
                TargetTable t = table(c, ch.relation());
                if (run == null || inRun >= maxRun || !run.tryAdd(t, ch)) {
                    flush(c, run);
                    run = ChangeRun.startWith(t, ch);
                    inRun = 0;
                }
                inRun++;
            }
        }
        return run;
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
        statements.values().forEach(GroupWriter::closeQuietly);
        statements.clear();
        batch.reset();
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
            Discriminator d = Discriminator.of(c, t, scope);
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + t.quoted() + " WHERE " + d.predicate())) {
                d.bind(ps, 1);
                ps.executeUpdate();
            }
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        if (c != null) {
            try {
                c.close();
            } catch (Exception e) {
                // closing a statement of a session being discarded: nothing to do
            }
        }
    }
}
