package io.helios.postgres;

import io.helios.core.change.TableId;
import io.helios.core.tenant.TableFilter;
import io.helios.core.tenant.TenancyModel;
import io.helios.core.tenant.TenantScope;
import io.helios.postgres.fence.Fence;
import io.helios.postgres.fence.Hold;
import io.helios.testsupport.PostgresCluster;
import io.helios.testsupport.TestClusters;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static io.helios.postgres.Sql.exec;
import static io.helios.postgres.Sql.scalar;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The fence's hold: a held tenant's writers wait (no error) while other tenants write on, and when
 * the hold ends they are refused with the move's reason, or go on when it is released; taking the
 * hold waits for the tenant's writers in flight and writes no WAL; a holder that dies after marking
 * the move leaves a refusal, never an open door.
 */
class FenceHoldIT {

    private static final String DB = "fence_hold_it";
    private static PostgresCluster pg;
    private static final ExecutorService writers = Executors.newCachedThreadPool();

    @BeforeAll
    static void setUp() throws Exception {
        pg = TestClusters.shared();
        pg.createDatabase(DB);
        exec(pg, DB, "CREATE TABLE public.shared (tenant_id text, id int, v text, PRIMARY KEY (tenant_id, id))",
                "CREATE SCHEMA acme", "CREATE TABLE acme.orders (id int PRIMARY KEY, v text)");
        try (Connection c = pg.connect(DB)) {
            Fence.installSchema(c);
            for (String t : List.of("a", "b", "c", "d")) {
                Fence.protect(c, new TableId("public", "shared"), new TenantScope(t, TenancyModel.ROW, "public", null, "tenant_id", TableFilter.ALL));
            }
            Fence.protect(c, new TableId("acme", "orders"), new TenantScope("acme", TenancyModel.SCHEMA, "acme", null, null, TableFilter.ALL));
        }
    }

    @AfterAll
    static void tearDown() {
        writers.shutdownNow();
    }

    @Test
    void heldWritersWaitThenAreRefusedWithTheMove() throws Exception {
        try (Connection session = pg.connect(DB)) {
            Hold hold = Hold.begin(session, "a", Duration.ofSeconds(2));
            CompletableFuture<Void> held = write("INSERT INTO public.shared VALUES ('a', 1, 'held')");
            await().atMost(Duration.ofSeconds(10)).until(() -> hold.waiting() == 1);
            // another tenant of the same shared table is not paused
            exec(pg, DB, "INSERT INTO public.shared VALUES ('b', 1, 'free')");
            assertThat(held).isNotDone();
            hold.markMoving("tenant a is being moved");
            hold.refuse("tenant a moved to region-b, routing epoch 7");
            assertThat(failure(held)).contains("tenant \"a\" is read-only").contains("moved to region-b, routing epoch 7");
        }
        assertThat(scalar(pg, DB, "SELECT count(*) FROM public.shared WHERE tenant_id = 'a'")).isEqualTo("0");
    }

    @Test
    void releasedWritersGoOnAsIfNothingHappened() throws Exception {
        try (Connection session = pg.connect(DB)) {
            Hold hold = Hold.begin(session, "acme", Duration.ofSeconds(2));
            CompletableFuture<Void> held = write("INSERT INTO acme.orders VALUES (1, 'held')");
            await().atMost(Duration.ofSeconds(10)).until(() -> hold.waiting() == 1);
            hold.markMoving("tenant acme is being moved");
            hold.release();
            held.get(10, TimeUnit.SECONDS);
            assertThat(Fence.isFenced(session, "acme")).isFalse();
        }
        assertThat(scalar(pg, DB, "SELECT v FROM acme.orders WHERE id = 1")).isEqualTo("held");
    }

    @Test
    void aHolderThatDiesAfterMarkingTheMoveLeavesARefusal() throws Exception {
        Connection session = pg.connect(DB);
        Hold.begin(session, "c", Duration.ofSeconds(2)).markMoving("tenant c is being moved (migration m1)");
        CompletableFuture<Void> held = write("INSERT INTO public.shared VALUES ('c', 1, 'held')");
        session.close(); // the lock ends with the session; the refusal-in-waiting stays
        assertThat(failure(held)).contains("tenant \"c\" is read-only").contains("being moved (migration m1)");
        try (Connection c = pg.connect(DB)) {
            assertThat(Hold.isHeld(c, "c")).isTrue();
            Fence.unfence(c, "c");
        }
        exec(pg, DB, "INSERT INTO public.shared VALUES ('c', 2, 'after')");
    }

    @Test
    void takingTheHoldWaitsForTheWritersInFlightAndWritesNoWal() throws Exception {
        try (Connection writer = pg.connect(DB); Connection session = pg.connect(DB)) {
            writer.setAutoCommit(false);
            try (Statement s = writer.createStatement()) {
                s.execute("INSERT INTO public.shared VALUES ('d', 1, 'in flight')");
            }
            assertThat(Hold.writersInFlight(session, "d")).hasSize(1);
            // not within the bound: no hold is left, the writer goes on
            assertThatThrownBy(() -> Hold.begin(session, "d", Duration.ofMillis(200))).isInstanceOf(SQLException.class)
                    .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("55P03"));
            try (Statement s = writer.createStatement()) {
                s.execute("INSERT INTO public.shared VALUES ('d', 2, 'still writing')");
            }
            CompletableFuture<Hold> held = CompletableFuture.supplyAsync(() -> {
                try {
                    return Hold.begin(session, "d", Duration.ofSeconds(10));
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            }, writers);
            await().atMost(Duration.ofSeconds(10)).until(() -> "1".equals(scalar(pg, DB, "SELECT count(*) FROM pg_locks"
                    + " WHERE locktype = 'advisory' AND NOT granted AND mode = 'ExclusiveLock'")));
            assertThat(held).isNotDone();
            writer.commit();
            Hold hold = held.get(10, TimeUnit.SECONDS);
            String before = scalar(pg, DB, "SELECT pg_current_wal_insert_lsn()");
            assertThat(hold.currentWalLsn()).isNotNull();
            assertThat(scalar(pg, DB, "SELECT pg_current_wal_insert_lsn()")).as("the hold wrote no WAL").isEqualTo(before);
            hold.release();
        }
        assertThat(scalar(pg, DB, "SELECT count(*) FROM public.shared WHERE tenant_id = 'd'")).isEqualTo("2");
    }

    private static CompletableFuture<Void> write(String sql) {
        return CompletableFuture.runAsync(() -> exec(pg, DB, sql), writers);
    }

    private static String failure(CompletableFuture<Void> f) throws Exception {
        try {
            f.get(10, TimeUnit.SECONDS);
            throw new AssertionError("the write went through");
        } catch (ExecutionException e) {
            return e.getCause().getMessage();
        }
    }
}
