package io.helios.pgoutput;

import io.helios.core.capture.CaptureLimits;
import io.helios.core.change.Lsn;
import io.helios.core.change.SourceTransaction;
import io.helios.core.tenant.TenancyModel;
import io.helios.core.tenant.TenantScope;
import io.helios.postgres.PgEndpoint;
import io.helios.postgres.slot.Publications;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The slot's {@code confirmed_flush_lsn} never passes what the consumer confirmed (what the target
 * checkpointed), even while a delivered transaction waits unconfirmed in the worker and the
 * walsender keeps sending keepalives that ask for a reply over several {@code wal_sender_timeout}
 * halves; and answering them keeps the idle stream alive.
 */
class FlushConfirmationIT {

    /** Short enough that the walsender asks for a reply every second and drops a silent client after two. */
    /**
     * A role whose sessions, walsenders included, time out after 2 s of silence: endpoint URLs may
     * not carry {@code options}, so the setting rides on the role.
     */
    private static final String SHORT_TIMEOUT_ROLE = "helios_short_sender";

    private static final CaptureFixture db = new CaptureFixture("pgoutput_flush_it");
    private static final CaptureFixture noise = new CaptureFixture("pgoutput_flush_noise");

    private PgOutputCaptureEngine engine;

    @AfterEach
    void close() {
        if (engine != null) {
            engine.close();
        }
    }

    @Test
    void slotNeverConfirmsPastWhatTheTargetCheckpointedWhileATransactionWaits() throws Exception {
        db.sql("CREATE SCHEMA held", "CREATE TABLE held.t (id int PRIMARY KEY, v text)");
        try (Connection c = db.connect()) {
            Publications.ensure(c, "held", new TenantScope("held", TenancyModel.SCHEMA, "held", null, null, null),
                    java.util.List.of());
        }
        db.createSlot("held");
        db.sql("DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '" + SHORT_TIMEOUT_ROLE + "') THEN"
                        + " CREATE ROLE " + SHORT_TIMEOUT_ROLE + " LOGIN SUPERUSER REPLICATION PASSWORD '"
                        + db.cluster.password() + "'; END IF; END $$",
                "ALTER ROLE " + SHORT_TIMEOUT_ROLE + " SET wal_sender_timeout = '2s'");
        PgEndpoint shortTimeout = new PgEndpoint(db.cluster.jdbcUrl(db.database), SHORT_TIMEOUT_ROLE,
                db.cluster.password());
        assertThat(show(shortTimeout)).isEqualTo("2s");
        engine = new PgOutputCaptureEngine(shortTimeout, "held", "held", CaptureLimits.transactions(16));
        engine.start(Lsn.ZERO);

        db.sql("INSERT INTO held.t VALUES (1, 'applied')");
        SourceTransaction applied = CaptureFixture.take(engine, 1).get(0);
        engine.confirm(applied.endLsn()); // the target checkpointed it
        await().atMost(CaptureFixture.WAIT).until(() -> !db.confirmedFlush("held").isAtOrBefore(applied.commitLsn()));

        db.sql("INSERT INTO held.t VALUES (2, 'buffered')");
        SourceTransaction buffered = CaptureFixture.take(engine, 1).get(0);
        // the server moves on (other databases write) while the worker holds the transaction unapplied
        noise.sql("CREATE TABLE IF NOT EXISTS noise (id int)", "INSERT INTO noise SELECT generate_series(1, 1000)");
        Lsn written = noise.currentLsn();

        await().during(Duration.ofSeconds(6)).atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> db.confirmedFlush("held").isAtOrBefore(buffered.commitLsn()));
        assertThat(engine.poll(Duration.ofMillis(100))).as("nothing else was sent").isNull(); // and the stream is alive

        engine.confirm(buffered.endLsn());
        await().atMost(CaptureFixture.WAIT).until(() -> !db.confirmedFlush("held").isAtOrBefore(buffered.commitLsn()));
        // once nothing is in flight the engine offers the server's position; it is confirmed only when told
        await().atMost(CaptureFixture.WAIT).until(() -> engine.idleUpTo() != null
                && engine.idleUpTo().compareTo(written) >= 0);
        assertThat(db.confirmedFlush("held").compareTo(written)).isNegative();
        engine.confirm(engine.idleUpTo());
        await().atMost(CaptureFixture.WAIT).until(() -> db.confirmedFlush("held").compareTo(written) >= 0);
    }

    private static String show(PgEndpoint endpoint) throws Exception {
        try (Connection c = endpoint.open(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SHOW wal_sender_timeout")) {
            rs.next();
            return rs.getString(1);
        }
    }
}
