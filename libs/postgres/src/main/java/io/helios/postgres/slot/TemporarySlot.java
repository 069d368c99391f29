package io.helios.postgres.slot;

import io.helios.core.change.Lsn;
import io.helios.postgres.PgEndpoint;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/**
 * A consistent point on a source without a lasting slot: a {@code TEMPORARY} logical slot created
 * with an exported snapshot, which the server drops when its walsender session ends (closing the
 * returned {@link SlotSnapshot}, a crash of the worker, a broken connection). The snapshot sees
 * exactly the transactions whose commit record ends at or before the consistent point; every
 * transaction committing later began after the slot's creation started (the slot waits for the
 * transactions running then), so it sees the catalog as it was when the creation started. Used to
 * copy a table that joins a running replication (see {@code io.helios.postgres.copy.TableSync}).
 * Stateless.
 */
public final class TemporarySlot {

    private static final Logger log = LoggerFactory.getLogger(TemporarySlot.class);

    private TemporarySlot() {
    }

    /**
     * Creates the slot and exports its snapshot; closing the result ends the session and drops
     * the slot. Waits, like every slot creation, for the source's running transactions to end.
     *
     * @param replicationId names the slot ({@code helios_tmp_<12 hex of the id>_<8 random hex>})
     */
    public static SlotSnapshot open(PgEndpoint source, String replicationId) throws SQLException {
        String slot = "helios_tmp_" + hex(replicationId, 12) + "_" + hex(UUID.randomUUID().toString(), 8);
        Connection c = source.openReplication();
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("CREATE_REPLICATION_SLOT " + slot
                     + " TEMPORARY LOGICAL pgoutput EXPORT_SNAPSHOT")) {
            if (!rs.next()) {
                throw new SQLException("CREATE_REPLICATION_SLOT " + slot + " returned no row");
            }
            SlotSnapshot snapshot = new SlotSnapshot(slot, rs.getString("snapshot_name"),
                    Lsn.parse(rs.getString("consistent_point")), c);
            log.debug("opened temporary slot {} at {}", slot, snapshot.consistentPoint());
            return snapshot;
        } catch (SQLException | RuntimeException e) {
            c.close();
            throw e;
        }
    }

    private static String hex(String id, int length) {
        String h = id.replace("-", "").toLowerCase().replaceAll("[^a-z0-9]", "");
        return h.substring(0, Math.min(length, h.length()));
    }
}
