package io.helios.postgres.copy;

import io.helios.postgres.SessionStatements;
import io.helios.postgres.HeliosSchema;
import io.helios.core.change.Lsn;
import io.helios.core.change.TableId;
import io.helios.core.tenant.TenancyModel;
import io.helios.core.tenant.TenantScope;
import io.helios.postgres.PgEndpoint;
import io.helios.postgres.catalog.Catalog;
import io.helios.postgres.catalog.TableDef;
import io.helios.postgres.checkpoint.StaleLeaseException;
import io.helios.postgres.ddl.SchemaSync;
import io.helios.postgres.fence.Fence;
import io.helios.postgres.slot.Publications;
import io.helios.postgres.slot.SlotSnapshot;
import io.helios.postgres.slot.TemporarySlot;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Brings tables that joined a tenant's scope while its replication runs into the replication,
 * exactly once: adds them to the publication, copies their rows from a consistent point X, and
 * records on the target, in the copy's transaction, that each is copied up to X
 * ({@code helios.replication_table_sync}). The applier then drops the changes of such a table in
 * source transactions ending at or before X and applies the later ones.
 *
 * <p>Why nothing is lost or applied twice, for a table T synced at X:
 * <ol>
 *   <li>T is added to the publication in a source transaction of its own that commits before the
 *       temporary slot giving X is created. Creating a slot waits for every transaction running
 *       when it starts, so every transaction ending after X began after T joined the publication:
 *       pgoutput publishes its changes of T on the replication's slot. (Transactions ending
 *       between the publication change and X may or may not carry T; they are skipped for T.)</li>
 *   <li>The exported snapshot sees exactly the transactions whose commit record ends at or
 *       before X, so the copy holds T as of X: every change of T ending at or before X is in it,
 *       none ending after X.</li>
 *   <li>The copy clears the tenant's rows of T on the target and writes T as of X in one target
 *       transaction that also writes the record and checks the lease epoch on the checkpoint row
 *       (locked until commit, so a newer worker's claim waits, and a stale worker commits
 *       nothing). Every transaction applied before it ended before the slot was created, so
 *       before X: what it applied to T is replaced by the copy.</li>
 *   <li>The record is on the target, so every later run of the replication (a retry, a restart,
 *       another worker) skips T's changes ending at or before X and applies those after it. Once
 *       the checkpoint is at or past X the record decides nothing (the checkpoint skips more) and
 *       is deleted. An initial copy deletes all of a replication's records first
 *       ({@link #forgetAll}): its positions may be of another source.</li>
 * </ol>
 *
 * <p>Stateless; the caller's thread does the work, on connections of its own: the source for the
 * publication change (auto-commit), the temporary slot's walsender, a source session under the
 * snapshot and a target session.
 */
public final class TableSync {

    private static final Logger log = LoggerFactory.getLogger(TableSync.class);
    private static final String RECORDS = "helios.replication_table_sync";

    private TableSync() {
    }

    /** What a sync copied: the tables (those dropped meanwhile left out), up to which position, how many rows. */
    public record Synced(List<TableId> tables, Lsn copiedAt, long rows) {
    }

    /**
     * Adds the tables to the publication, copies them at a new consistent point and records it.
     *
     * @param adding  tables of the scope the publication does not cover yet
     * @param inScope every table of the scope now, in catalog order
     * @throws StaleLeaseException when the target's checkpoint is gone or held by a newer epoch
     */
    public static Synced run(PgEndpoint source, PgEndpoint target, TenantScope scope, String replicationId,
                             long epoch, String publication, List<TableId> adding, List<TableId> inScope)
            throws SQLException {
        try (Connection s = source.open()) {
            Publications.add(s, publication, scope, adding, inScope);
        }
        try (SlotSnapshot snapshot = TemporarySlot.open(source, replicationId);
             Connection src = source.open(); Connection tgt = target.open()) {
            src.setAutoCommit(false);
            tgt.setAutoCommit(false);
            try (Statement st = src.createStatement()) {
                st.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
                SessionStatements.useSnapshot(st, snapshot.snapshotName());
            }
            try {
                Synced synced = copy(src, tgt, scope, replicationId, epoch, adding, snapshot.consistentPoint());
                tgt.commit();
                src.commit();
                log.info("replication {}: new tables {} of tenant {} copied ({} rows) up to {}", replicationId,
                        synced.tables(), scope.tenantId(), synced.rows(), synced.copiedAt());
                return synced;
            } catch (SQLException | RuntimeException e) {
                tgt.rollback();
                src.rollback();
                throw e;
            }
        }
    }

    private static Synced copy(Connection src, Connection tgt, TenantScope scope, String replicationId, long epoch,
                               List<TableId> adding, Lsn at) throws SQLException {
        try (Statement s = tgt.createStatement()) {
            s.execute("SET LOCAL session_replication_role = replica");
        }
        requireEpoch(tgt, replicationId, epoch);
        Fence.installSchema(tgt);
        installSchema(tgt);
        if (scope.model() != TenancyModel.DATABASE) {
            SchemaSync.ensureSchema(tgt, scope.targetSchema());
        }
        List<TableId> copied = new ArrayList<>();
        long rows = 0;
        for (TableId id : adding) {
            Optional<TableDef> def = Catalog.table(src, id);
            if (def.isEmpty()) {
                continue; // dropped before X: nothing to copy, and the stream carries nothing of it after X
            }
            rows += InitialCopy.copyOneTable(src, tgt, def.get(), scope, (t, done, estimated) -> { });
            record(tgt, replicationId, id, at, epoch);
            copied.add(id);
        }
        forgetPassed(tgt, replicationId);
        return new Synced(copied, at, rows);
    }

    /** Locks the checkpoint row until commit and checks that no newer epoch holds it. */
    private static void requireEpoch(Connection tgt, String replicationId, long epoch) throws SQLException {
        try (PreparedStatement ps = tgt.prepareStatement("SELECT lease_epoch FROM helios.replication_checkpoint"
                + " WHERE replication_id = ? FOR UPDATE")) {
            ps.setString(1, replicationId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next() || rs.getLong(1) > epoch) {
                    throw new StaleLeaseException(replicationId, epoch);
                }
            }
        }
    }

    /** Creates the record table when missing (idempotent), in the caller's transaction. */
    public static void installSchema(Connection tgt) throws SQLException {
        try (Statement s = tgt.createStatement();
             ResultSet rs = s.executeQuery("SELECT to_regclass('" + RECORDS + "') IS NOT NULL")) {
            if (rs.next() && rs.getBoolean(1)) {
                return;
            }
        }
        HeliosSchema.change(tgt, () -> createSchema(tgt));
    }

    private static void createSchema(Connection tgt) throws SQLException {
        try (Statement s = tgt.createStatement()) {
            s.execute("CREATE SCHEMA IF NOT EXISTS helios");
            s.execute("CREATE TABLE IF NOT EXISTS " + RECORDS + " (replication_id text NOT NULL,"
                    + " source_schema text NOT NULL, source_table text NOT NULL, copied_at_lsn pg_lsn NOT NULL,"
                    + " lease_epoch bigint NOT NULL, copied_at timestamptz NOT NULL DEFAULT now(),"
                    + " PRIMARY KEY (replication_id, source_schema, source_table))");
        }
    }

    private static void record(Connection tgt, String replicationId, TableId table, Lsn at, long epoch)
            throws SQLException {
        try (PreparedStatement ps = tgt.prepareStatement("INSERT INTO " + RECORDS + " (replication_id, source_schema,"
                + " source_table, copied_at_lsn, lease_epoch) VALUES (?, ?, ?, ?::pg_lsn, ?)"
                + " ON CONFLICT (replication_id, source_schema, source_table) DO UPDATE"
                + " SET copied_at_lsn = EXCLUDED.copied_at_lsn, lease_epoch = EXCLUDED.lease_epoch, copied_at = now()")) {
            ps.setString(1, replicationId);
            ps.setString(2, table.schema());
            ps.setString(3, table.table());
            ps.setString(4, at.toString());
            ps.setLong(5, epoch);
            ps.executeUpdate();
        }
    }

    /**
     * The tables copied past the checkpoint, with the position each is copied up to: the stream
     * skips their changes up to there. Deletes the records the checkpoint has passed. Runs in the
     * caller's transaction mode.
     */
    public static Map<TableId, Lsn> pending(Connection tgt, String replicationId) throws SQLException {
        Map<TableId, Lsn> out = new HashMap<>();
        if (!recordsExist(tgt)) {
            return out;
        }
        forgetPassed(tgt, replicationId);
        try (PreparedStatement ps = tgt.prepareStatement("SELECT source_schema, source_table, copied_at_lsn::text FROM "
                + RECORDS + " WHERE replication_id = ?")) {
            ps.setString(1, replicationId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(new TableId(rs.getString(1), rs.getString(2)), Lsn.parse(rs.getString(3)));
                }
            }
        }
        return out;
    }

    /**
     * Deletes every record of the replication, unless a newer epoch holds its checkpoint: before
     * an initial copy, whose positions may be of another source than the records'.
     */
    public static void forgetAll(Connection tgt, String replicationId, long epoch) throws SQLException {
        if (!recordsExist(tgt)) {
            return;
        }
        try (PreparedStatement ps = tgt.prepareStatement("DELETE FROM " + RECORDS + " WHERE replication_id = ?"
                + " AND NOT EXISTS (SELECT 1 FROM helios.replication_checkpoint WHERE replication_id = ?"
                + " AND lease_epoch > ?)")) {
            ps.setString(1, replicationId);
            ps.setString(2, replicationId);
            ps.setLong(3, epoch);
            ps.executeUpdate();
        }
    }

    private static void forgetPassed(Connection tgt, String replicationId) throws SQLException {
        try (PreparedStatement ps = tgt.prepareStatement("DELETE FROM " + RECORDS + " r USING"
                + " helios.replication_checkpoint c WHERE r.replication_id = ? AND c.replication_id = r.replication_id"
                + " AND r.copied_at_lsn <= c.lsn")) {
            ps.setString(1, replicationId);
            ps.executeUpdate();
        }
    }

    private static boolean recordsExist(Connection tgt) throws SQLException {
        try (Statement s = tgt.createStatement();
             ResultSet rs = s.executeQuery("SELECT to_regclass('" + RECORDS + "') IS NOT NULL")) {
            return rs.next() && rs.getBoolean(1);
        }
    }
}
