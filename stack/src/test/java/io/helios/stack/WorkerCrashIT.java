package io.helios.stack;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.helios.stack.CrashFixture.WAIT;
import static io.helios.stack.CrashFixture.assertLedgerExactlyOnce;
import static io.helios.stack.CrashFixture.awaitCopyInto;
import static io.helios.stack.CrashFixture.awaitSameTenant;
import static io.helios.stack.CrashFixture.checkpoint;
import static io.helios.stack.CrashFixture.checkpointEpoch;
import static io.helios.stack.CrashFixture.checkpointLsn;
import static io.helios.stack.Databases.exec;
import static io.helios.stack.Databases.scalar;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A worker process killed with SIGKILL in the middle of its work: during the initial copy, and
 * while it streams under a continuous write load. The control plane and the workers run in
 * processes of their own ({@link CrashFixture}); another worker takes the lease over once the
 * killed one's TTL has run out, and the replica ends equal to the source with every row exactly
 * once.
 */
class WorkerCrashIT {

    private CrashFixture fx;

    @BeforeEach
    void twoLiveWorkers() {
        fx = CrashFixture.shared(2);
    }

    @AfterEach
    void deleteReplications() {
        fx.deleteReplications();
    }

    @Test
    void workerKilledMidCopyIsReplacedAndTheCopyEndsWholeWithNothingTwice() {
        String source = fx.pg.createDatabase(fx.db("copy_source"));
        String target = fx.pg.createDatabase(fx.db("copy_target"));
        exec(fx.pg, source, "CREATE SCHEMA bulky",
                "CREATE TABLE bulky.items (id bigint PRIMARY KEY, name text, pad text, amount numeric(12,2))",
                // big enough that the copy takes seconds: the kill lands inside it
                "INSERT INTO bulky.items SELECT g, 'item ' || g, repeat(md5(g::text), 3), g / 100.0"
                        + " FROM generate_series(1, 600000) g");
        WriteLoad.createTables(fx.pg, source, "bulky");
        String id = fx.startReplication("bulky", "bulky", fx.pg, source, fx.pg, target);
        try (WriteLoad load = WriteLoad.start(fx.pg, source, "bulky", 2, 20)) {
            awaitCopyInto(fx.pg, target);
            String first = fx.awaitHolder(id);
            fx.killWorker(first);
            assertThat(checkpoint(fx.pg, target, id)).as("the copy had not committed when its worker died").isNull();

            String survivor = fx.awaitStreamingElsewhere(id, first);
            long atTakeover = load.committedRows();
            await().atMost(WAIT).until(() -> load.committedRows() > atTakeover + 300);
            Map<Integer, Long> committed = load.stop();

            awaitSameTenant(fx.pg, source, fx.pg, target, "bulky");
            assertLedgerExactlyOnce(fx.pg, target, "bulky", committed);
            fx.assertHealthy(id);
            assertThat(fx.workers()).containsKey(survivor);
        }
    }

    @Test
    void workerKilledMidStreamUnderLoadIsReplacedWithEveryRowExactlyOnce() {
        String source = fx.pg.createDatabase(fx.db("stream_source"));
        String target = fx.pg.createDatabase(fx.db("stream_target"));
        exec(fx.pg, source, "CREATE SCHEMA streamy",
                "CREATE TABLE streamy.accounts (id int PRIMARY KEY, balance numeric NOT NULL)",
                "INSERT INTO streamy.accounts SELECT g, 100 FROM generate_series(1, 1000) g");
        WriteLoad.createTables(fx.pg, source, "streamy");
        String id = fx.startReplication("streamy", "streamy", fx.pg, source, fx.pg, target);
        try (WriteLoad load = WriteLoad.start(fx.pg, source, "streamy", 3, 10)) {
            String first = fx.awaitHolder(id);
            fx.awaitStreamingOn(id, first);
            await("the first worker applies the load").atMost(WAIT).until(() ->
                    ((Number) fx.status(id).get("rowsApplied")).longValue() > 500);
            long killedEpoch = fx.leaseEpoch(id);
            fx.killWorker(first);

            String survivor = fx.awaitStreamingElsewhere(id, first);
            long atTakeover = load.committedRows();
            await().atMost(WAIT).until(() -> load.committedRows() > atTakeover + 600);
            Map<Integer, Long> committed = load.stop();

            awaitSameTenant(fx.pg, source, fx.pg, target, "streamy");
            assertLedgerExactlyOnce(fx.pg, target, "streamy", committed);
            fx.assertHealthy(id);
            assertThat(checkpointEpoch(fx.pg, target, id)).as("the survivor's epoch holds the checkpoint")
                    .isGreaterThan(killedEpoch);
            assertThat(fx.workers()).containsKey(survivor);
        }
    }

    @Test
    void workerKilledWhileItsTenantIsIdleIsReplacedWithoutARefusedResume() {
        String source = fx.pg.createDatabase(fx.db("idle_source"));
        String target = fx.pg.createDatabase(fx.db("idle_target"));
        String noise = fx.pg.createDatabase(fx.db("idle_noise"));
        exec(fx.pg, source, "CREATE SCHEMA quiet", "CREATE TABLE quiet.notes (id int PRIMARY KEY, body text)",
                "INSERT INTO quiet.notes VALUES (1, 'before')");
        String id = fx.startReplication("quiet", "quiet", fx.pg, source, fx.pg, target);
        String first = fx.awaitHolder(id);
        fx.awaitStreamingOn(id, first);
        // the tenant writes nothing while other databases of its server do: its slot moves on only
        // as far as its checkpoint on the target recorded the idle stretch
        exec(fx.pg, noise, "CREATE TABLE noise (id int)", "INSERT INTO noise SELECT generate_series(1, 20000)");
        String written = scalar(fx.pg, noise, "SELECT pg_current_wal_lsn()::text");
        await("the idle stretch is recorded on the target").atMost(WAIT).until(() -> {
            String at = checkpointLsn(fx.pg, target, id);
            return at != null && "t".equals(scalar(fx.pg, noise, "SELECT '" + at + "'::pg_lsn >= '" + written + "'::pg_lsn"));
        });
        fx.killWorker(first);

        fx.awaitStreamingElsewhere(id, first);
        exec(fx.pg, source, "INSERT INTO quiet.notes VALUES (2, 'after')");
        awaitSameTenant(fx.pg, source, fx.pg, target, "quiet");
        fx.assertHealthy(id);
    }
}
