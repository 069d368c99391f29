package io.helios.pgoutput;

import io.helios.core.change.Lsn;
import io.helios.core.change.SourceTransaction;
import io.helios.core.tenant.TenancyModel;
import io.helios.core.tenant.TenantScope;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SlotSnapshotIT {

    private static final CaptureFixture db = new CaptureFixture("pgoutput_snapshot_it");

    @Test
    void snapshotSeesRowsBeforeTheConsistentPointAndTheSlotStreamsTheRest() throws Exception {
        db.sql("CREATE SCHEMA snap", "CREATE TABLE snap.t (id int PRIMARY KEY)",
                "INSERT INTO snap.t SELECT generate_series(1, 5)");
        try (Connection c = db.connect()) {
            Publications.ensure(c, "snap", new TenantScope("s", TenancyModel.SCHEMA, "snap", null, null, null),
                    List.of());
        }
        List<Integer> copied;
        try (SlotSnapshot snapshot = ReplicationSlots.createWithSnapshot(db.endpoint, "snap")) {
            db.sql("INSERT INTO snap.t VALUES (6)", "INSERT INTO snap.t VALUES (7), (8)");
            copied = idsInSnapshot(snapshot.snapshotName());
            assertThat(snapshot.consistentPoint().isAfter(Lsn.ZERO)).isTrue();
        }
        db.sql("INSERT INTO snap.t VALUES (9)");

        List<String> streamed = new ArrayList<>();
        try (PgOutputCaptureEngine engine = new PgOutputCaptureEngine(db.endpoint, "snap", "snap", 8)) {
            engine.start(Lsn.ZERO);
            for (SourceTransaction tx : CaptureFixture.take(engine, 3)) {
                tx.changes().forEach(ch -> streamed.add(ch.after().get(0)));
            }
            assertThat(engine.poll(Duration.ofMillis(300))).isNull();
        }

        assertThat(copied).containsExactly(1, 2, 3, 4, 5);
        assertThat(streamed).containsExactly("6", "7", "8", "9");
    }

    @Test
    void existingSlotIsRefusedClearly() throws Exception {
        db.createSlot("taken");

        assertThatThrownBy(() -> ReplicationSlots.createWithSnapshot(db.endpoint, "taken"))
                .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("42710"))
                .hasMessageContaining("taken already exists");
    }

    private static List<Integer> idsInSnapshot(String snapshotName) throws SQLException {
        List<Integer> ids = new ArrayList<>();
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            c.setAutoCommit(false);
            s.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ");
            s.execute("SET TRANSACTION SNAPSHOT '" + snapshotName + "'");
            try (ResultSet rs = s.executeQuery("SELECT id FROM snap.t ORDER BY id")) {
                while (rs.next()) {
                    ids.add(rs.getInt(1));
                }
            }
            c.commit();
        }
        return ids;
    }
}
