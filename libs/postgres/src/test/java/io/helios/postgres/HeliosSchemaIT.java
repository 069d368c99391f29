package io.helios.postgres;

import io.helios.core.change.TableId;
import io.helios.core.tenant.TableFilter;
import io.helios.core.tenant.TenancyModel;
import io.helios.core.tenant.TenantScope;
import io.helios.postgres.checkpoint.Checkpoints;
import io.helios.postgres.copy.TableSync;
import io.helios.postgres.fence.Fence;
import io.helios.testsupport.PostgresCluster;
import io.helios.testsupport.TestClusters;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Many replications bootstrapping onto one fresh target at once: installing schema helios (the
 * checkpoint table, the fence, the row guards, the table-sync records) must not fail any of them.
 * Without the installers' lock, concurrent creation failed with a duplicate key on
 * {@code pg_type_typname_nsp_index} or "tuple concurrently updated".
 */
class HeliosSchemaIT {

    private static final int SESSIONS = 8;

    @Test
    void concurrentInstallsOnAFreshTargetAllSucceed() throws Exception {
        PostgresCluster pg = TestClusters.shared();
        for (int round = 0; round < 3; round++) {
            String db = "helios_schema_it_" + round;
            pg.createDatabase(db);
            Sql.exec(pg, db, "CREATE TABLE public.shared (tenant_id int NOT NULL, id int PRIMARY KEY)");
            CyclicBarrier start = new CyclicBarrier(SESSIONS);
            ExecutorService pool = Executors.newFixedThreadPool(SESSIONS);
            try {
                List<Future<Void>> done = new ArrayList<>();
                for (int i = 0; i < SESSIONS; i++) {
                    int tenant = i;
                    done.add(pool.submit((Callable<Void>) () -> {
                        try (Connection c = pg.connect(db)) {
                            start.await(30, TimeUnit.SECONDS);
                            Checkpoints.installSchema(c);
                            Fence.installSchema(c);
                            TableSync.installSchema(c);
                            c.setAutoCommit(false);
                            Fence.protect(c, new TableId("public", "shared"), new TenantScope(String.valueOf(tenant),
                                    TenancyModel.ROW, "public", "public", "tenant_id", TableFilter.of(null, null)));
                            c.commit();
                        }
                        return null;
                    }));
                }
                for (Future<Void> f : done) {
                    f.get(60, TimeUnit.SECONDS);
                }
            } finally {
                pool.shutdownNow();
            }
            assertThat(Sql.scalar(pg, db, "SELECT count(*) FROM pg_proc WHERE pronamespace = 'helios'::regnamespace"
                    + " AND proname LIKE 'fence_row_%'")).isEqualTo("1");
            // every tenant's protection survived the others' (the triggers list them all)
            assertThat(Sql.scalar(pg, db, "SELECT tgnargs FROM pg_trigger WHERE tgrelid = 'public.shared'::regclass"
                    + " AND tgname = 'helios_fence_truncate'")).isEqualTo(String.valueOf(2 + SESSIONS));
        }
    }
}
