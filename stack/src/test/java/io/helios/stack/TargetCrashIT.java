package io.helios.stack;

import io.helios.testsupport.PostgresCluster;
import io.helios.testsupport.TestClusters;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.time.Duration;
import java.util.Map;

import static io.helios.stack.CrashFixture.WAIT;
import static io.helios.stack.CrashFixture.assertLedgerExactlyOnce;
import static io.helios.stack.CrashFixture.awaitSameTenant;
import static io.helios.stack.CrashFixture.checkpointLsn;
import static io.helios.stack.CrashFixture.confirmedBelow;
import static io.helios.stack.Databases.exec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The target cluster crashed ({@code pg_ctl stop -m immediate}) under a continuous write load, at
 * a moment when it has applied transactions the source has not yet been told about (its
 * checkpoint past the slot's confirmed position), then started again: the worker retries,
 * resumes from the target's checkpoint, skips what the slot sends again, and the replica ends
 * equal to the source with every row exactly once.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TargetCrashIT {

    private CrashFixture fx;
    private PostgresCluster target;

    @BeforeAll
    void startTargetCluster() {
        target = TestClusters.startNew();
    }

    @AfterAll
    void stopTargetCluster() {
        if (target != null) {
            target.close();
        }
    }

    @BeforeEach
    void oneLiveWorker() {
        fx = CrashFixture.shared(1);
    }

    @AfterEach
    void deleteReplications() {
        fx.deleteReplications();
    }

    @Test
    void targetCrashedBetweenApplyAndConfirmRestartsWithNothingLostOrTwice() {
        String source = fx.pg.createDatabase(fx.db("target_source"));
        String replica = target.createDatabase("crash_target_replica");
        exec(fx.pg, source, "CREATE SCHEMA tgtcrash",
                "CREATE TABLE tgtcrash.accounts (id int PRIMARY KEY, balance numeric NOT NULL)",
                "INSERT INTO tgtcrash.accounts SELECT g, 100 FROM generate_series(1, 1000) g");
        WriteLoad.createTables(fx.pg, source, "tgtcrash");

        String id = fx.startReplication("tgtcrash", "tgtcrash", fx.pg, source, target, replica);
        try (WriteLoad load = WriteLoad.start(fx.pg, source, "tgtcrash", 3, 10)) {
            String holder = fx.awaitHolder(id);
            fx.awaitStreamingOn(id, holder);
            await("the load is applied").atMost(WAIT).until(() ->
                    ((Number) fx.status(id).get("rowsApplied")).longValue() > 500);
            await("applied on the target, not yet confirmed to the source").atMost(WAIT)
                    .pollInterval(Duration.ofMillis(20))
                    .until(() -> confirmedBelow(fx.pg, source, id, checkpointLsn(target, replica, id)));
            target.stopImmediate();
            assertThatThrownBy(() -> target.connect(replica).close()).as("the target is down").isNotNull();

            await("the worker sees the target gone").atMost(WAIT).until(() -> fx.status(id).get("lastError") != null);
            long down = load.committedRows();
            await("the source keeps committing").atMost(WAIT).until(() -> load.committedRows() > down + 300);
            target.restart();

            fx.awaitStreamingOn(id, holder);
            long up = load.committedRows();
            await().atMost(WAIT).until(() -> load.committedRows() > up + 300);
            Map<Integer, Long> committed = load.stop();

            awaitSameTenant(fx.pg, source, target, replica, "tgtcrash");
            assertLedgerExactlyOnce(target, replica, "tgtcrash", committed);
            await("no error left once applying again").atMost(WAIT).untilAsserted(() -> fx.assertHealthy(id));
        }
    }
}
