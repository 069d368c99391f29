package io.helios.worker.replication;

import io.helios.core.apply.ConflictStrategy;
import io.helios.core.capture.CaptureEngine;
import io.helios.core.capture.CaptureLimits;
import io.helios.core.change.Lsn;
import io.helios.core.change.SourceTransaction;
import io.helios.core.tenant.TableFilter;
import io.helios.core.tenant.TenancyModel;
import io.helios.core.tenant.TenantScope;
import io.helios.pgoutput.PgOutputCaptureEngine;
import io.helios.postgres.PgEndpoint;
import io.helios.postgres.apply.TransactionApplier;
import io.helios.postgres.checkpoint.CheckpointState;
import io.helios.postgres.checkpoint.Checkpoints;
import io.helios.postgres.checkpoint.StaleLeaseException;
import io.helios.postgres.copy.CopyCancellation;
import io.helios.postgres.copy.CopyOptions;
import io.helios.postgres.slot.ReplicationNames;
import io.helios.testsupport.PostgresCluster;
import io.helios.testsupport.TestClusters;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The initial copy is fenced like the stream, on real clusters: a zombie worker at an older
 * epoch commits nothing beside the new one (copy and stream), a stop leaves the target needing a
 * fresh copy, a slot confirmed past the checkpoint refuses the resume, and a stop cancels a copy
 * blocked on the source.
 */
class CopyFencingIT {

    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final String ITEMS = "SELECT coalesce(string_agg(i::text, ',' ORDER BY id), '') FROM acme_replica.items i";
    private static final String SOURCE_ITEMS = "SELECT coalesce(string_agg(i::text, ',' ORDER BY id), '') FROM acme.items i";
    private static PostgresCluster pg;

    @BeforeAll
    static void cluster() {
        pg = TestClusters.shared();
    }

    /** A fresh source (schema acme, 2,000 rows) and target, one pair per test. */
    private record Pair(String src, String tgt, String rid) {
        PgEndpoint source() {
            return new PgEndpoint(pg.jdbcUrl(src), pg.user(), pg.password());
        }

        PgEndpoint target() {
            return new PgEndpoint(pg.jdbcUrl(tgt), pg.user(), pg.password());
        }
    }

    private static Pair pair(String name) {
        Pair p = new Pair(pg.createDatabase("fence_" + name + "_src"), pg.createDatabase("fence_" + name + "_tgt"),
                UUID.randomUUID().toString());
        exec(p.src, "CREATE SCHEMA acme", "CREATE TABLE acme.items (id int PRIMARY KEY, name text)",
                "INSERT INTO acme.items SELECT g, 'item ' || g FROM generate_series(1, 2000) g");
        return p;
    }

    private static final TenantScope ACME = new TenantScope("acme", TenancyModel.SCHEMA, "acme", "acme_replica", null,
            TableFilter.ALL);

    /** One worker's bootstrap at {@code epoch}, on sessions of its own (closed after). */
    private static Lsn prepare(Pair p, long epoch, Runnable onCopy, Runnable onTable, CopyCancellation cancel)
            throws Exception {
        return prepare(p, epoch, onCopy, onTable, cancel, CopyOptions.SERIAL);
    }

    private static Lsn prepare(Pair p, long epoch, Runnable onCopy, Runnable onTable, CopyCancellation cancel,
                               CopyOptions options) throws Exception {
        try (Connection t = pg.connect(p.tgt); Connection s = pg.connect(p.src)) {
            return new ReplicationBootstrap(p.rid, epoch, p.source(), p.target(), ACME, cancel, options)
                    .prepare(t, s, onCopy, (done, estimated) -> onTable.run());
        }
    }

    /** Several sessions whatever the tenant's size, tables split into ranges of 8 kB blocks. */
    private static final CopyOptions PARALLEL = new CopyOptions(3, 0, 8192);

    private static Lsn prepare(Pair p, long epoch) throws Exception {
        return prepare(p, epoch, () -> { }, () -> { }, new CopyCancellation());
    }

    @Test
    void aZombieCopyCommitsNothingBesideTheNewWorker() throws Exception {
        Pair p = pair("zcopy");
        CountDownLatch zombieCopying = new CountDownLatch(1);
        CountDownLatch letZombieGo = new CountDownLatch(1);
        // the zombie (epoch 5) truncated the target table and waits inside its copy transaction
        CompletableFuture<Lsn> zombie = CompletableFuture.supplyAsync(() -> call(() -> prepare(p, 5, () -> { }, () -> {
            zombieCopying.countDown();
            awaitQuietly(letZombieGo);
        }, new CopyCancellation())));
        assertThat(zombieCopying.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        // after the zombie's snapshot, before the new worker's: only the new copy has it
        exec(p.src, "INSERT INTO acme.items VALUES (5001, 'after the zombie snapshot')");
        // the new worker (epoch 6) claims, replaces the slot and copies (its truncate waits for the zombie)
        CompletableFuture<Lsn> fresh = CompletableFuture.supplyAsync(() -> call(() -> prepare(p, 6)));
        await().atMost(WAIT).until(() -> "6".equals(scalar(p.tgt, "SELECT lease_epoch FROM helios.replication_checkpoint"
                + " WHERE replication_id = '" + p.rid + "'")));
        letZombieGo.countDown();

        assertThatThrownBy(() -> zombie.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .hasRootCauseInstanceOf(StaleLeaseException.class);
        Lsn at = fresh.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        try (Connection t = pg.connect(p.tgt)) {
            assertThat(Checkpoints.read(t, p.rid).orElseThrow().lsn()).isEqualTo(at);
            assertThat(Checkpoints.state(t, p.rid).orElseThrow())
                    .isEqualTo(new Checkpoints.Claim(CheckpointState.READY, 6));
        }
        assertThat(scalar(p.tgt, ITEMS)).isEqualTo(scalar(p.src, SOURCE_ITEMS));
        assertThat(scalar(p.src, "SELECT confirmed_flush_lsn::text FROM pg_replication_slots WHERE slot_name = '"
                + ReplicationNames.slot(p.rid) + "'")).isEqualTo(at.toString());
    }

    @Test
    void aZombieParallelCopyCommitsNothingBesideTheNewWorker() throws Exception {
        Pair p = pair("zpar");
        exec(p.src, "INSERT INTO acme.items SELECT g, repeat('x', 200) FROM generate_series(2001, 20000) g");
        CountDownLatch zombieCopying = new CountDownLatch(1);
        CountDownLatch letZombieGo = new CountDownLatch(1);
        // the zombie (epoch 5) cleared and fenced the target and waits before its first part
        CompletableFuture<Lsn> zombie = CompletableFuture.supplyAsync(() -> call(() -> prepare(p, 5, () -> { }, () -> {
            zombieCopying.countDown();
            awaitQuietly(letZombieGo);
        }, new CopyCancellation(), PARALLEL)));
        assertThat(zombieCopying.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        exec(p.src, "INSERT INTO acme.items VALUES (50001, 'after the zombie snapshot')");
        Lsn at = prepare(p, 6, () -> { }, () -> { }, new CopyCancellation(), PARALLEL);
        letZombieGo.countDown();

        assertThatThrownBy(() -> zombie.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .hasRootCauseInstanceOf(StaleLeaseException.class);
        try (Connection t = pg.connect(p.tgt)) {
            assertThat(Checkpoints.read(t, p.rid).orElseThrow().lsn()).isEqualTo(at);
            assertThat(Checkpoints.state(t, p.rid).orElseThrow())
                    .isEqualTo(new Checkpoints.Claim(CheckpointState.READY, 6));
        }
        // every row exactly once, the one written after the zombie's snapshot included
        assertThat(scalar(p.tgt, ITEMS)).isEqualTo(scalar(p.src, SOURCE_ITEMS));
        assertThat(scalar(p.tgt, "SELECT count(*) FROM acme_replica.items")).isEqualTo("20001");
    }

    @Test
    void aStopRefusesEveryParallelPartAfterIt() throws Exception {
        Pair p = pair("spar");
        exec(p.src, "INSERT INTO acme.items SELECT g, repeat('x', 200) FROM generate_series(2001, 20000) g");
        CountDownLatch copying = new CountDownLatch(1);
        CountDownLatch go = new CountDownLatch(1);
        CompletableFuture<Lsn> worker = CompletableFuture.supplyAsync(() -> call(() -> prepare(p, 3, () -> { }, () -> {
            copying.countDown();
            awaitQuietly(go);
        }, new CopyCancellation(), PARALLEL)));
        assertThat(copying.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        // the stop's fence of the checkpoint row: no part may commit after it
        try (Connection t = pg.connect(p.tgt)) {
            Checkpoints.requireCopy(t, p.rid, 4);
        }
        go.countDown();
        assertThatThrownBy(() -> worker.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .hasRootCauseInstanceOf(StaleLeaseException.class);
        try (Connection t = pg.connect(p.tgt)) {
            assertThat(Checkpoints.state(t, p.rid).orElseThrow())
                    .isEqualTo(new Checkpoints.Claim(CheckpointState.NEEDS_COPY, 4));
        }
        assertThat(scalar(p.tgt, "SELECT count(*) FROM acme_replica.items")).isEqualTo("0");
    }

    @Test
    void aZombieStreamAppliesNothingAndTheNewWorkerCarriesOn() throws Exception {
        Pair p = pair("zstream");
        Lsn copied = prepare(p, 1);
        exec(p.src, "INSERT INTO acme.items VALUES (3001, 'streamed')", "UPDATE acme.items SET name = 'changed' WHERE id = 1");
        String before = scalar(p.tgt, ITEMS);
        try (TransactionApplier zombie = applier(p, 1); CaptureEngine engine = engine(p)) {
            zombie.resumeAfter(copied);
            engine.start(copied);
            List<SourceTransaction> txs = pollTwo(engine);
            // the new worker claims at epoch 2 while the zombie still streams
            try (Connection t = pg.connect(p.tgt)) {
                Checkpoints.claim(t, p.rid, 2);
            }
            assertThatThrownBy(() -> zombie.apply(txs)).isInstanceOf(StaleLeaseException.class);
        }
        assertThat(scalar(p.tgt, ITEMS)).isEqualTo(before);
        Lsn resumed = prepare(p, 2);
        assertThat(resumed).isEqualTo(copied);
        try (TransactionApplier fresh = applier(p, 2); CaptureEngine engine = engine(p)) {
            fresh.resumeAfter(resumed);
            engine.start(resumed);
            fresh.apply(pollTwo(engine));
        }
        assertThat(scalar(p.tgt, ITEMS)).isEqualTo(scalar(p.src, SOURCE_ITEMS));
    }

    @Test
    void aStopFencesTheTargetAndTheNextStartCopiesAfresh() throws Exception {
        Pair p = pair("restart");
        Lsn first = prepare(p, 1);
        // what the control plane's cleanup does on stop: fence the row at the bumped epoch, then drop the slot
        try (Connection t = pg.connect(p.tgt); Connection s = pg.connect(p.src)) {
            Checkpoints.requireCopy(t, p.rid, 2);
            io.helios.postgres.slot.ReplicationSlots.drop(s, ReplicationNames.slot(p.rid));
            assertThat(Checkpoints.read(t, p.rid)).isEmpty();
        }
        assertThatThrownBy(() -> prepare(p, 1)).isInstanceOf(StaleLeaseException.class);
        assertThat(scalar(p.src, "SELECT count(*) FROM pg_replication_slots WHERE database = current_database()")).isEqualTo("0");
        exec(p.src, "DELETE FROM acme.items WHERE id > 1000");
        List<String> copies = new ArrayList<>();
        Lsn second = prepare(p, 3, () -> copies.add("copy"), () -> { }, new CopyCancellation());
        assertThat(copies).containsExactly("copy");
        assertThat(second).isGreaterThan(first);
        assertThat(scalar(p.tgt, ITEMS)).isEqualTo(scalar(p.src, SOURCE_ITEMS));
        try (Connection t = pg.connect(p.tgt)) {
            assertThat(Checkpoints.state(t, p.rid).orElseThrow()).isEqualTo(new Checkpoints.Claim(CheckpointState.READY, 3));
        }
    }

    @Test
    void aResumeIsRefusedWhenTheSlotIsConfirmedPastTheCheckpoint() throws Exception {
        Pair p = pair("ahead");
        Lsn copied = prepare(p, 1);
        exec(p.src, "INSERT INTO acme.items VALUES (4001, 'never applied')");
        String slot = ReplicationNames.slot(p.rid);
        String advanced = scalar(p.src, "SELECT end_lsn::text FROM pg_replication_slot_advance('" + slot
                + "', pg_current_wal_lsn())");
        assertThatThrownBy(() -> prepare(p, 2)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("replication slot " + slot + " is confirmed up to " + advanced)
                .hasMessageContaining("the target holds only up to " + copied)
                .hasMessageContaining("would be skipped").hasMessageContaining("stop and start");
    }

    @Test
    void aStopCancelsACopyBlockedOnTheSource() throws Exception {
        Pair p = pair("cancel");
        CopyCancellation cancel = new CopyCancellation();
        String copyQuery = "SELECT count(*) FROM pg_stat_activity WHERE datname = '" + p.src
                + "' AND query LIKE 'COPY (SELECT%'";
        try (Connection blocker = pg.connect(p.src); Statement b = blocker.createStatement()) {
            blocker.setAutoCommit(false);
            // locked once the slot exists (creating it waits for open transactions): the copy's COPY OUT waits on it
            CompletableFuture<Lsn> copy = CompletableFuture.supplyAsync(() -> call(() -> prepare(p, 1, () -> { },
                    () -> call(() -> b.execute("LOCK TABLE acme.items IN ACCESS EXCLUSIVE MODE")), cancel)));
            await().atMost(WAIT).until(() -> "1".equals(scalar(p.src, copyQuery + " AND wait_event_type = 'Lock'")));
            cancel.cancel();
            await().atMost(Duration.ofSeconds(30)).until(copy::isDone);
            assertThat(copy).isCompletedExceptionally();
            await().atMost(Duration.ofSeconds(30)).until(() -> "0".equals(scalar(p.src, copyQuery)));
            blocker.rollback();
        }
        assertThat(scalar(p.tgt, "SELECT to_regclass('acme_replica.items') IS NULL")).isEqualTo("t");
        try (Connection t = pg.connect(p.tgt)) {
            assertThat(Checkpoints.state(t, p.rid).orElseThrow()).isEqualTo(new Checkpoints.Claim(CheckpointState.COPYING, 1));
        }
    }

    @Test
    void anOldCheckpointTableIsMigratedInPlace() throws Exception {
        String db = pg.createDatabase("fence_migrate");
        exec(db, "CREATE SCHEMA helios", "CREATE TABLE helios.replication_checkpoint (replication_id text PRIMARY KEY,"
                        + " lsn pg_lsn NOT NULL, lease_epoch bigint NOT NULL, source_commit_time timestamptz,"
                        + " updated_at timestamptz NOT NULL DEFAULT now())",
                "INSERT INTO helios.replication_checkpoint (replication_id, lsn, lease_epoch) VALUES ('old', '0/10', 4)");
        try (Connection c = pg.connect(db)) {
            Checkpoints.installSchema(c);
            Checkpoints.installSchema(c);
            assertThat(Checkpoints.claim(c, "old", 5).orElseThrow().lsn()).isEqualTo(Lsn.parse("0/10"));
            assertThat(Checkpoints.claim(c, "new", 1)).isEmpty();
            assertThat(Checkpoints.state(c, "new").orElseThrow()).isEqualTo(new Checkpoints.Claim(CheckpointState.COPYING, 1));
            assertThatThrownBy(() -> Checkpoints.completeCopy(c, "new", 0, Lsn.parse("0/20")))
                    .isInstanceOf(StaleLeaseException.class);
            Checkpoints.requireCopy(c, "old", 3);
            assertThat(Checkpoints.state(c, "old").orElseThrow()).isEqualTo(new Checkpoints.Claim(CheckpointState.NEEDS_COPY, 5));
            assertThatThrownBy(() -> Checkpoints.advance(c, "old", 5, Lsn.parse("0/30"), null))
                    .isInstanceOf(StaleLeaseException.class);
        }
    }

    private static TransactionApplier applier(Pair p, long epoch) {
        return new TransactionApplier(p.target(), p.source(), ACME, p.rid, epoch, ConflictStrategy.ERROR);
    }

    private static CaptureEngine engine(Pair p) {
        return new PgOutputCaptureEngine(p.source(), ReplicationNames.slot(p.rid), ReplicationNames.publication(p.rid),
                CaptureLimits.transactions(100));
    }

    private static List<SourceTransaction> pollTwo(CaptureEngine engine) throws InterruptedException {
        List<SourceTransaction> txs = new ArrayList<>();
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (txs.size() < 2 && System.nanoTime() < deadline) {
            SourceTransaction tx = engine.poll(Duration.ofMillis(500));
            if (tx != null) {
                txs.add(tx);
            }
        }
        assertThat(txs).hasSize(2);
        return txs;
    }

    private interface Call<T> {
        T call() throws Exception;
    }

    private static <T> T call(Call<T> c) {
        try {
            return c.call();
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(WAIT.toSeconds(), TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void exec(String db, String... sql) {
        try (Connection c = pg.connect(db); Statement s = c.createStatement()) {
            for (String q : sql) {
                s.execute(q);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String scalar(String db, String sql) {
        try (Connection c = pg.connect(db); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
