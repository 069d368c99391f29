package io.helios.postgres.slot;

import io.helios.core.change.Lsn;
import io.helios.core.tenant.TenancyModel;
import io.helios.core.tenant.TenantScope;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SlotSnapshotIT {

    private static final SlotFixture db = new SlotFixture("slot_snapshot_it");

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

        assertThat(copied).containsExactly(1, 2, 3, 4, 5);
        assertThat(insertedIds("snap")).containsExactly("6", "7", "8", "9");
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

    /**
     * The values of the slot's pending inserts into a one-column table, peeked (not consumed)
     * through the SQL interface, so that no capture engine is needed: a pgoutput Insert message
     * is 'I', the relation OID (4 bytes), 'N', the column count (2), 't', the value's length (4)
     * and then the value's text, from byte 14 on.
     */
    private static List<String> insertedIds(String slot) throws SQLException {
        return db.column("SELECT convert_from(substr(data, 14), 'UTF8') FROM pg_logical_slot_peek_binary_changes('"
                + slot + "', NULL, NULL, 'proto_version', '1', 'publication_names', '" + slot + "')"
                + " WHERE get_byte(data, 0) = ascii('I') ORDER BY lsn");
    }
}
