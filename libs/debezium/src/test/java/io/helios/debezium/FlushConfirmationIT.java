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

    private static final String SHORT_TIMEOUT = "?options=-c%20wal_sender_timeout%3D2000";

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
        PgEndpoint shortTimeout = new PgEndpoint(db.cluster.jdbcUrl(db.database) + SHORT_TIMEOUT,
                db.cluster.user(), db.cluster.password());
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
