package io.helios.stack;

import io.helios.stack.process.JvmProcess;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.helios.stack.CrashFixture.WAIT;
import static io.helios.stack.CrashFixture.assertLedgerExactlyOnce;
import static io.helios.stack.CrashFixture.awaitCopyInto;
import static io.helios.stack.CrashFixture.awaitSameTenant;
import static io.helios.stack.CrashFixture.checkpoint;
import static io.helios.stack.Databases.exec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The control plane process killed with SIGKILL while a worker copies a tenant, then started
 * again on the same database: the data path does not depend on the control plane being up, so
 * the worker carries on (or stops cleanly when its lease runs out) and does not die; once the
 * control plane is back the replication completes, equal to the source, every row once.
 */
class ControlPlaneCrashIT {

    private CrashFixture fx;

    @BeforeEach
    void oneLiveWorker() {
        fx = CrashFixture.shared(1);
    }

    @AfterEach
    void deleteReplications() {
        fx.deleteReplications();
    }

    @Test
    void controlPlaneKilledMidCopyComesBackAndTheReplicationCompletes() {
        String source = fx.pg.createDatabase(fx.db("cp_source"));
        String target = fx.pg.createDatabase(fx.db("cp_target"));
        exec(fx.pg, source, "CREATE SCHEMA cpcrash",
                "CREATE TABLE cpcrash.items (id bigint PRIMARY KEY, name text, pad text, amount numeric(12,2))",
                "INSERT INTO cpcrash.items SELECT g, 'item ' || g, repeat(md5(g::text), 3), g / 100.0"
                        + " FROM generate_series(1, 600000) g");
        WriteLoad.createTables(fx.pg, source, "cpcrash");
        Map<String, JvmProcess> workers = fx.workers();

        String id = fx.startReplication("cpcrash", "cpcrash", fx.pg, source, fx.pg, target);
        try (WriteLoad load = WriteLoad.start(fx.pg, source, "cpcrash", 2, 20)) {
            awaitCopyInto(fx.pg, target);
            String holder = fx.awaitHolder(id);
            fx.helios.controlPlane().kill();
            assertThat(checkpoint(fx.pg, target, id)).as("the copy had not committed when the control plane died").isNull();

            fx.helios.startControlPlane();
            assertThat(workers.get(holder).isAlive()).as("the worker survives its control plane's crash").isTrue();
            fx.awaitStreamingElsewhere(id, null);
            long back = load.committedRows();
            await().atMost(WAIT).until(() -> load.committedRows() > back + 300);
            Map<Integer, Long> committed = load.stop();

            awaitSameTenant(fx.pg, source, fx.pg, target, "cpcrash");
            assertLedgerExactlyOnce(fx.pg, target, "cpcrash", committed);
            fx.assertHealthy(id);
            assertThat(fx.workers()).as("no worker died").containsAllEntriesOf(workers);
        }
    }
}
