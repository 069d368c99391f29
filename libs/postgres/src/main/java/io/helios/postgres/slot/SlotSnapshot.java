package io.helios.postgres.slot;

import io.helios.core.change.Lsn;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * A logical replication slot just created together with an exported snapshot: the snapshot
 * sees exactly the transactions committed before {@link #consistentPoint()}, and the slot
 * streams exactly those committed after it. Sessions import the snapshot with
 * {@code SET TRANSACTION SNAPSHOT '<snapshotName>'} inside a REPEATABLE READ transaction.
 *
 * <p>Lifecycle: the snapshot lives as long as the walsender connection that created it stays
 * open and idle; {@link #close()} releases it (the slot stays). Do not use from several
 * threads at once.
 */
public final class SlotSnapshot implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SlotSnapshot.class);

    private final String slotName;
    private final String snapshotName;
    private final Lsn consistentPoint;
    private final Connection connection;

    SlotSnapshot(String slotName, String snapshotName, Lsn consistentPoint, Connection connection) {
        this.slotName = slotName;
        this.snapshotName = snapshotName;
        this.consistentPoint = consistentPoint;
        this.connection = connection;
    }

    public String slotName() {
        return slotName;
    }

    /** The exported snapshot's name, for {@code SET TRANSACTION SNAPSHOT}. */
    public String snapshotName() {
        return snapshotName;
    }

    /** The slot's consistent point: the stream delivers what commits after it. */
    public Lsn consistentPoint() {
        return consistentPoint;
    }

    /** Releases the exported snapshot by closing the walsender connection; the slot remains. */
    @Override
    public void close() {
        try {
            connection.close();
        } catch (SQLException e) {
            log.debug("closing the snapshot connection of slot {}: {}", slotName, e.getMessage());
        }
    }

    @Override
    public String toString() {
        return "SlotSnapshot[" + slotName + " at " + consistentPoint + ", snapshot " + snapshotName + "]";
    }
}
