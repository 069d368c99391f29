package io.helios.postgres.copy;

import io.helios.core.change.Lsn;
import io.helios.core.change.TableId;
import io.helios.core.tenant.TenancyModel;
import io.helios.core.tenant.TenantScope;
import io.helios.postgres.PgEndpoint;
import io.helios.postgres.SessionStatements;
import io.helios.postgres.catalog.Catalog;
import io.helios.postgres.catalog.TableDef;
import io.helios.postgres.checkpoint.Checkpoints;
import io.helios.postgres.checkpoint.StaleLeaseException;
import io.helios.postgres.ddl.SchemaSync;
import io.helios.postgres.fence.Fence;
import io.helios.postgres.tenant.Discriminator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The initial copy of a large tenant in several sessions, all reading the one exported snapshot
 * (so together they read exactly one consistent state, the one the slot streams on from).
 *
 * <p>Three steps on the target, each fenced by the lease epoch like the stream:
 * <ol>
 * <li>one transaction creates missing tables (a tenant's own ones without their primary key, built
 *     once after the load, which is cheaper than maintaining it row by row), clears the tenant's old
 *     rows, installs the fence triggers and lists the tenant as fenced (so nothing can write the
 *     replica while it fills);</li>
 * <li>parts (a whole table, or a block range of a large one: {@code ctid >= '(lo,0)' AND ctid <
 *     '(hi,0)'}, a TID range scan) are copied by {@code parallelism} sessions, each part in a
 *     target transaction of its own that first takes {@code FOR SHARE} on the checkpoint row at
 *     this epoch: a stop or a newer lease (which update that row) waits for the parts in flight
 *     and then refuses every later one;</li>
 * <li>the missing primary keys are built, and one transaction sets the checkpoint to the consistent
 *     point and state READY, only while the epoch still holds the row.</li>
 * </ol>
 * Until the last step the row stays COPYING: a worker killed in between leaves a replica that the
 * next bootstrap copies again from scratch (it clears first), never one that streams on a partial
 * copy. Unlike the one-transaction copy, a copy that fails here leaves the tenant's tables emptied
 * (and fenced) on the target rather than as they were; that is why it runs only onto a target that
 * holds none of the tenant's rows (a first copy; not a resync, nor a reverse replication onto a
 * migration's old primary, which must keep its rows until the new ones commit), and small tenants
 * keep the one-transaction copy anyway ({@link CopyOptions#parallelAboveBytes()}). Stateless; the parts run on a
 * pool of the caller's making that lives as long as the copy.
 */
final class ParallelCopy {

    private static final Logger log = LoggerFactory.getLogger(ParallelCopy.class);

    /** A range split never makes more parts of one table than this many per session. */
    private static final int PARTS_PER_SESSION = 4;

    private ParallelCopy() {
    }

    /** One unit of work: a table, or a block range of one ({@code range} null: the whole table). */
    record Part(TableDef table, TableId targetId, String range, long bytes) {
    }

    /**
     * Copies the tenant in parallel when its tables are at least {@link CopyOptions#parallelAboveBytes()}
     * on the source; answers empty (having changed nothing) when they are smaller.
     */
    static Optional<CopyResult> runIfLarge(PgEndpoint source, String snapshotName, Lsn consistentPoint, PgEndpoint target,
                                           TenantScope scope, String replicationId, long epoch, CopyProgress progress,
                                           CopyCancellation cancellation, CopyOptions options) throws SQLException {
        List<TableDef> tables;
        List<Part> parts;
        long total;
        try (Connection src = snapshotSession(source, snapshotName, cancellation)) {
            tables = Catalog.tables(src, scope);
            Map<TableId, Long> sizes = sizes(src, tables);
            total = sizes.values().stream().mapToLong(Long::longValue).sum();
            if (total < options.parallelAboveBytes()) {
                src.commit();
                return Optional.empty();
            }
            parts = plan(src, scope, tables, sizes, options);
            src.commit();
        }
        if (holdsTenantRows(target, scope, tables, cancellation)) {
            // a resync, or a reverse replication onto a migration's old primary: the one-transaction copy keeps
            // those rows until the new ones commit, where parts would empty the tables first
            log.info("initial copy of tenant {}: the target holds rows of the tenant already, copying in one transaction",
                    scope.tenantId());
            return Optional.empty();
        }
        log.info("initial copy of tenant {} in {} sessions: {} tables, {} MB, {} parts", scope.tenantId(),
                options.parallelism(), tables.size(), total >> 20, parts.size());
        prepareTarget(target, scope, replicationId, epoch, tables, cancellation);
        long rows = copyParts(source, snapshotName, target, scope, replicationId, epoch, parts, progress, cancellation,
                options.parallelism());
        // keys of the tables loaded without them (and of any an unfinished earlier copy left so), largest first,
        // by the same sessions, each in a transaction of its own at this epoch; the stream needs them to apply
        List<TableDef> bySize = new ArrayList<>(tables);
        bySize.sort(Comparator.comparingLong((TableDef t) -> parts.stream().filter(p -> p.table().id().equals(t.id()))
                .mapToLong(Part::bytes).sum()).reversed());
        onTargetSessions(target, cancellation, options.parallelism(), bySize, (tgt, t) -> {
            holdEpoch(tgt, replicationId, epoch);
            SchemaSync.ensurePrimaryKey(tgt, t, new TableId(scope.targetSchemaFor(t.id().schema()), t.id().table()));
        });
        try (Connection tgt = target.open()) {
            cancellation.register(tgt);
            tgt.setAutoCommit(false);
            Checkpoints.completeCopy(tgt, replicationId, epoch, consistentPoint);
            tgt.commit();
        }
        log.info("initial copy of tenant {}: {} rows in {} tables up to {} ({} sessions)", scope.tenantId(), rows,
                tables.size(), consistentPoint, options.parallelism());
        return Optional.of(new CopyResult(tables.size(), rows));
    }

    /** Whether any of the tenant's tables on the target holds a row of the tenant. */
    private static boolean holdsTenantRows(PgEndpoint target, TenantScope scope, List<TableDef> tables,
                                           CopyCancellation cancellation) throws SQLException {
        try (Connection tgt = target.open()) {
            cancellation.register(tgt);
            for (TableDef t : tables) {
                TableId targetId = new TableId(scope.targetSchemaFor(t.id().schema()), t.id().table());
                if (Catalog.table(tgt, targetId).isEmpty()) {
                    continue;
                }
                String where = "";
                Discriminator d = null;
                if (scope.model() == TenancyModel.ROW) {
                    d = Discriminator.of(tgt, targetId, scope);
                    where = " WHERE " + d.predicate();
                }
                try (PreparedStatement ps = tgt.prepareStatement("SELECT EXISTS (SELECT 1 FROM " + targetId.quoted()
                        + where + ")")) {
                    if (d != null) {
                        d.bind(ps, 1);
                    }
                    try (ResultSet rs = ps.executeQuery()) {
                        if (rs.next() && rs.getBoolean(1)) {
                            return true;
                        }
                    }
                }
            }
            return false;
        }
    }

    /** A source session in a read-only REPEATABLE READ transaction on the exported snapshot. */
    private static Connection snapshotSession(PgEndpoint source, String snapshotName, CopyCancellation cancellation)
            throws SQLException {
        Connection src = source.open();
        try {
            cancellation.register(src);
            src.setAutoCommit(false);
            try (Statement s = src.createStatement()) {
                s.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
                SessionStatements.useSnapshot(s, snapshotName);
            }
            return src;
        } catch (SQLException | RuntimeException e) {
            src.close();
            throw e;
        }
    }

    private static Map<TableId, Long> sizes(Connection src, List<TableDef> tables) throws SQLException {
        Map<TableId, Long> sizes = new HashMap<>();
        try (PreparedStatement ps = src.prepareStatement("SELECT pg_relation_size(?::regclass)")) {
            for (TableDef t : tables) {
                ps.setString(1, t.id().quoted());
                try (ResultSet rs = ps.executeQuery()) {
                    sizes.put(t.id(), rs.next() ? rs.getLong(1) : 0);
                }
            }
        }
        return sizes;
    }

    /**
     * Whole tables, and block ranges of those at least {@link CopyOptions#splitAboveBytes()} (TID range
     * scans need PostgreSQL 14; older servers copy every table whole). Largest first, so that the
     * last part to finish is a small one. The last range of a table is open-ended: the table may
     * have grown since the snapshot, and rows the snapshot sees may sit in blocks added later.
     */
    static List<Part> plan(Connection src, TenantScope scope, List<TableDef> tables, Map<TableId, Long> sizes,
                           CopyOptions options) throws SQLException {
        boolean tidRanges = src.getMetaData().getDatabaseMajorVersion() >= 14;
        long blockSize = blockSize(src);
        List<Part> parts = new ArrayList<>();
        for (TableDef t : tables) {
            TableId targetId = new TableId(scope.targetSchemaFor(t.id().schema()), t.id().table());
            long bytes = sizes.getOrDefault(t.id(), 0L);
            long blocks = bytes / blockSize;
            int pieces = (int) Math.min((long) options.parallelism() * PARTS_PER_SESSION,
                    Math.max(1, (bytes + options.splitAboveBytes() - 1) / options.splitAboveBytes()) * options.parallelism());
            if (!tidRanges || bytes < options.splitAboveBytes() || blocks < pieces) {
                parts.add(new Part(t, targetId, null, bytes));
                continue;
            }
            long step = blocks / pieces;
            for (int i = 0; i < pieces; i++) {
                long lo = i * step;
                String range = i == pieces - 1
                        ? "ctid >= '(" + lo + ",0)'::tid"
                        : "ctid >= '(" + lo + ",0)'::tid AND ctid < '(" + (lo + step) + ",0)'::tid";
                parts.add(new Part(t, targetId, range, step * blockSize));
            }
        }
        parts.sort(Comparator.comparingLong(Part::bytes).reversed());
        return parts;
    }

    private static long blockSize(Connection src) throws SQLException {
        try (Statement s = src.createStatement(); ResultSet rs = s.executeQuery("SELECT current_setting('block_size')::bigint")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Step 1: tables, the tenant's old rows cleared, fence triggers and the tenant fenced, at this epoch. */
    private static void prepareTarget(PgEndpoint target, TenantScope scope, String replicationId, long epoch,
                                      List<TableDef> tables, CopyCancellation cancellation) throws SQLException {
        try (Connection tgt = target.open()) {
            cancellation.register(tgt);
            tgt.setAutoCommit(false);
            try {
                try (Statement s = tgt.createStatement()) {
                    s.execute("SET LOCAL session_replication_role = replica");
                }
                Fence.installSchema(tgt);
                Checkpoints.installSchema(tgt);
                holdEpoch(tgt, replicationId, epoch);
                if (scope.model() != TenancyModel.DATABASE) {
                    SchemaSync.ensureSchema(tgt, scope.targetSchema());
                }
                for (TableDef t : tables) {
                    TableId targetId = new TableId(scope.targetSchemaFor(t.id().schema()), t.id().table());
                    // a tenant's own new table is loaded without its key, built once after (sorted, not row by
                    // row); a shared table (ROW) keeps its key: other tenants' replications apply to it meanwhile
                    SchemaSync.createTableIfMissing(tgt, t, targetId.schema(), scope.model() == TenancyModel.ROW);
                    InitialCopy.clearTenant(tgt, targetId, scope);
                    Fence.protect(tgt, targetId, scope);
                }
                Fence.fence(tgt, scope.tenantId(), "replica of replication " + replicationId);
                tgt.commit();
            } catch (SQLException | RuntimeException e) {
                if (!tgt.isClosed()) {
                    tgt.rollback();
                }
                throw e;
            }
        }
    }

    /**
     * Takes {@code FOR SHARE} on the checkpoint row at {@code epoch} in the caller's transaction: an
     * update of the row (a stop, a newer claim) waits until this transaction ends, and afterwards
     * this check fails for every later part.
     */
    private static void holdEpoch(Connection tgt, String replicationId, long epoch) throws SQLException {
        try (PreparedStatement ps = tgt.prepareStatement("SELECT 1 FROM helios.replication_checkpoint"
                + " WHERE replication_id = ? AND lease_epoch = ? FOR SHARE")) {
            ps.setString(1, replicationId);
            ps.setLong(2, epoch);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new StaleLeaseException(replicationId, epoch);
                }
            }
        }
    }

    /** Step 2: the parts, by {@code sessions} threads each with one source and one target session. */
    private static long copyParts(PgEndpoint source, String snapshotName, PgEndpoint target, TenantScope scope,
                                  String replicationId, long epoch, List<Part> parts, CopyProgress progress,
                                  CopyCancellation cancellation, int sessions) throws SQLException {
        ConcurrentLinkedQueue<Part> queue = new ConcurrentLinkedQueue<>(parts);
        Map<TableId, AtomicLong> done = new HashMap<>();
        Map<TableId, Long> estimates = new HashMap<>();
        for (Part p : parts) {
            done.putIfAbsent(p.table().id(), new AtomicLong());
        }
        List<Connection> opened = new CopyOnWriteArrayList<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        int threads = Math.min(sessions, parts.size());
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, threads), r -> {
            Thread t = new Thread(r, "helios-copy-" + scope.tenantId());
            t.setDaemon(true);
            return t;
        });
        try (Connection estimating = snapshotSession(source, snapshotName, cancellation)) {
            for (TableId t : done.keySet()) {
                estimates.put(t, InitialCopy.estimate(estimating, t));
                progress.onTable(t, 0, estimates.get(t));
            }
            estimating.commit();
        }
        Object reporting = new Object();
        List<Future<Long>> workers = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            workers.add(pool.submit(() -> {
                long rows = 0;
                try (Connection src = snapshotSession(source, snapshotName, cancellation);
                     Connection tgt = target.open()) {
                    opened.add(src);
                    opened.add(tgt);
                    cancellation.register(tgt);
                    tgt.setAutoCommit(false);
                    Part part;
                    while (failure.get() == null && (part = queue.poll()) != null) {
                        TableId table = part.table().id();
                        try (Statement s = tgt.createStatement()) {
                            s.execute("SET LOCAL session_replication_role = replica");
                        }
                        holdEpoch(tgt, replicationId, epoch);
                        rows += InitialCopy.copyRows(src, tgt, part.table(), part.targetId(), scope, part.range(), n -> {
                            long now = done.get(table).addAndGet(n);
                            synchronized (reporting) {
                                progress.onTable(table, now, Math.max(estimates.get(table), now));
                            }
                        });
                        tgt.commit();
                    }
                    src.commit();
                    return rows;
                } catch (Throwable e) {
                    if (failure.compareAndSet(null, e)) {
                        // stop the other sessions at once: their parts would be copied again anyway
                        opened.forEach(ParallelCopy::abort);
                    }
                    throw e;
                }
            }));
        }
        long rows = 0;
        try {
            for (Future<Long> w : workers) {
                try {
                    rows += w.get();
                } catch (ExecutionException e) {
                    // reported below through failure, which holds the first one
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    cancellation.cancel();
                    throw new SQLException("initial copy interrupted", "57014", e);
                }
            }
        } finally {
            pool.shutdownNow();
        }
        Throwable first = failure.get();
        if (first != null) {
            if (first instanceof SQLException e) {
                throw e;
            }
            if (first instanceof RuntimeException e) {
                throw e;
            }
            throw new SQLException("initial copy failed: " + first, first);
        }
        synchronized (reporting) {
            for (Map.Entry<TableId, AtomicLong> e : done.entrySet()) {
                progress.onTable(e.getKey(), e.getValue().get(), e.getValue().get());
            }
        }
        return rows;
    }

    /** Work on one target session and transaction per item. */
    @FunctionalInterface
    interface TargetWork<T> {
        void run(Connection tgt, T item) throws SQLException;
    }

    /**
     * Runs {@code work} for each item, each in a target transaction of its own committed after it,
     * on {@code sessions} threads with a target session each; the first failure stops the others
     * and is thrown.
     */
    static <T> void onTargetSessions(PgEndpoint target, CopyCancellation cancellation, int sessions, List<T> items,
                                     TargetWork<T> work) throws SQLException {
        ConcurrentLinkedQueue<T> queue = new ConcurrentLinkedQueue<>(items);
        List<Connection> opened = new CopyOnWriteArrayList<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        int threads = Math.max(1, Math.min(sessions, items.size()));
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "helios-copy-keys");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<?>> workers = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                workers.add(pool.submit(() -> {
                    try (Connection tgt = target.open()) {
                        opened.add(tgt);
                        cancellation.register(tgt);
                        tgt.setAutoCommit(false);
                        T item;
                        while (failure.get() == null && (item = queue.poll()) != null) {
                            work.run(tgt, item);
                            tgt.commit();
                        }
                    } catch (Throwable e) {
                        if (failure.compareAndSet(null, e)) {
                            opened.forEach(ParallelCopy::abort);
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> w : workers) {
                try {
                    w.get();
                } catch (ExecutionException e) {
                    failure.compareAndSet(null, e.getCause());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    cancellation.cancel();
                    throw new SQLException("initial copy interrupted", "57014", e);
                }
            }
        } finally {
            pool.shutdownNow();
        }
        Throwable first = failure.get();
        if (first instanceof SQLException e) {
            throw e;
        }
        if (first instanceof RuntimeException e) {
            throw e;
        }
        if (first != null) {
            throw new SQLException("initial copy failed: " + first, first);
        }
    }

    private static void abort(Connection c) {
        try {
            c.abort(Runnable::run);
        } catch (SQLException | RuntimeException e) {
            log.debug("aborting a copy session: {}", e.getMessage());
        }
    }
}
