package io.helios.debezium;

import io.helios.core.capture.CaptureLimits;
import io.helios.core.change.Lsn;
import io.helios.core.change.SourceTransaction;
import io.helios.postgres.PgEndpoint;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * With {@code lsn.flush.mode=connector} the slot's {@code confirmed_flush_lsn} never passes what
 * the consumer confirmed (what the target checkpointed), even while a delivered transaction waits
 * unconfirmed and the walsender keeps sending keepalives that ask for a reply (a 2 s
 * {@code wal_sender_timeout}); and the idle stream stays alive.
 */
class FlushConfirmationIT {

    /**
     * A role whose sessions, walsenders included, time out after 2 s of silence: endpoint URLs may
     * not carry {@code options}, so the setting rides on the role.
     */
    private static final String SHORT_TIMEOUT_ROLE = "helios_short_sender";

    private static final DebeziumFixture db = new DebeziumFixture("debezium_flush_it");
    private static final DebeziumFixture noise = new DebeziumFixture("debezium_flush_noise");

    private DebeziumCaptureEngine engine;

    @AfterEach
    void close() {
        if (engine != null) {
            engine.close();
        }
    }

    @Test
    void slotNeverConfirmsPastWhatTheTargetCheckpointedWhileATransactionWaits() throws Exception {
        db.tenant("held", "CREATE TABLE t (id int PRIMARY KEY, v text)");
        db.sql("DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '" + SHORT_TIMEOUT_ROLE + "') THEN"
                        + " CREATE ROLE " + SHORT_TIMEOUT_ROLE + " LOGIN SUPERUSER REPLICATION PASSWORD '"
                        + db.cluster.password() + "'; END IF; END $$",
                "ALTER ROLE " + SHORT_TIMEOUT_ROLE + " SET wal_sender_timeout = '2s'");
        PgEndpoint shortTimeout = new PgEndpoint(db.cluster.jdbcUrl(db.database), SHORT_TIMEOUT_ROLE,
                db.cluster.password());
        engine = new DebeziumCaptureEngine(shortTimeout, "held", "held", CaptureLimits.transactions(16));
        engine.start(Lsn.ZERO);

        db.sql("INSERT INTO held.t VALUES (1, 'applied')");
        SourceTransaction applied = DebeziumFixture.take(engine, 1).get(0);
        engine.confirm(applied.endLsn()); // the target checkpointed it
        await().atMost(DebeziumFixture.WAIT).until(() -> db.confirmedFlush("held").equals(applied.endLsn()));

        db.sql("INSERT INTO held.t VALUES (2, 'buffered')");
        SourceTransaction buffered = DebeziumFixture.take(engine, 1).get(0);
        noise.sql("CREATE TABLE IF NOT EXISTS noise (id int)", "INSERT INTO noise SELECT generate_series(1, 1000)");

        await().during(Duration.ofSeconds(6)).atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> db.confirmedFlush("held").equals(applied.endLsn()));
        assertThat(engine.poll(Duration.ofMillis(100))).as("nothing else was sent, and the stream is alive").isNull();

        engine.confirm(buffered.endLsn());
        await().atMost(DebeziumFixture.WAIT).until(() -> db.confirmedFlush("held").equals(buffered.endLsn()));
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(30))
                .until(() -> db.confirmedFlush("held").equals(buffered.endLsn()));
    }
}
