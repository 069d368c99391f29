package io.helios.postgres.checkpoint;

import io.helios.core.change.Lsn;
import io.helios.postgres.HeliosSchema;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;

/**
 * The checkpoint table on a target, {@code helios.replication_checkpoint}: the end LSN of the last
 * source transaction applied per replication and the lease epoch that applied it. Updated in the
 * same transaction as the changes, conditionally on the epoch, so a stale worker can never apply.
 * Stateless; every method runs on the caller's connection and transaction unless it says otherwise.
 */
public final class Checkpoints {

    private Checkpoints() {
    }

    /**
     * Creates schema {@code helios} and the checkpoint table when missing, and migrates a table
     * of an older version (nullable {@code lsn}, column {@code state}): idempotent, and the
     * {@code ALTER}s (which lock the table) run only when the table still needs them. In the
     * caller's transaction: an initial copy installs it atomically with the data it copies.
     */
    public static void installSchema(Connection c) throws SQLException {
        if (current(c)) {
            return;
        }
        HeliosSchema.change(c, () -> {
            if (current(c)) { // the installer before us made it: its ALTERs would lock the table for nothing
                return;
            }
            try (Statement s = c.createStatement()) {
                s.execute("CREATE SCHEMA IF NOT EXISTS helios");
                s.execute("CREATE TABLE IF NOT EXISTS helios.replication_checkpoint (replication_id text PRIMARY KEY,"
                        + " lsn pg_lsn, lease_epoch bigint NOT NULL, source_commit_time timestamptz,"
                        + " updated_at timestamptz NOT NULL DEFAULT now(), state text NOT NULL DEFAULT 'READY')");
                // a table made before copies were fenced: lsn NOT NULL and no state
                s.execute("ALTER TABLE helios.replication_checkpoint ADD COLUMN IF NOT EXISTS state text NOT NULL"
                        + " DEFAULT 'READY'");
                s.execute("ALTER TABLE helios.replication_checkpoint ALTER COLUMN lsn DROP NOT NULL");
            }
        });
    }

    /** Whether the table exists in its current shape (lsn nullable, a state column). */
    private static boolean current(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FILTER (WHERE attname = 'lsn' AND NOT attnotnull)"
                     + " + count(*) FILTER (WHERE attname = 'state') FROM pg_attribute"
                     + " WHERE attrelid = to_regclass('helios.replication_checkpoint') AND attnum > 0 AND NOT attisdropped")) {
            return rs.next() && rs.getInt(1) == 2;
        }
    }

    /** Where the target stands: empty when it has no row or no position (a copy is pending or needed). */
    public static Optional<Checkpoint> read(Connection c, String replicationId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT lsn::text, lease_epoch, source_commit_time"
                + " FROM helios.replication_checkpoint WHERE replication_id = ? AND lsn IS NOT NULL")) {
            ps.setString(1, replicationId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(checkpoint(replicationId, rs)) : Optional.empty();
            }
        }
    }

    /** The row's state and epoch, for checks and status; empty when the target has no row. */
    public static Optional<Claim> state(Connection c, String replicationId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT state, lease_epoch"
                + " FROM helios.replication_checkpoint WHERE replication_id = ?")) {
            ps.setString(1, replicationId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(new Claim(CheckpointState.valueOf(rs.getString(1)), rs.getLong(2)))
                        : Optional.empty();
            }
        }
    }

    /** A row's state and the epoch that holds it. */
    public record Claim(CheckpointState state, long leaseEpoch) {
    }

    /**
     * Takes the checkpoint over for {@code epoch} in a transaction of its own (the connection is
     * switched to auto-commit for the call, which commits anything the caller left open), before
     * the caller reads where to resume or starts a copy: after this commits, no older epoch can
     * advance the checkpoint nor commit a copy. When the target holds no position (no row, a
     * copy pending or needed) the row is written (or left) in state {@link CheckpointState#COPYING}
     * at {@code epoch} before anything is copied, so the copy is fenced like the stream.
     *
     * @return the checkpoint to resume from, or empty when the caller must copy the tenant
     * @throws StaleLeaseException when a newer epoch already holds the row
     */
    public static Optional<Checkpoint> claim(Connection c, String replicationId, long epoch) throws SQLException {
        boolean auto = c.getAutoCommit();
        c.setAutoCommit(true);
        try {
            return claimInTransaction(c, replicationId, epoch);
        } finally {
            c.setAutoCommit(auto);
        }
    }

    /** {@link #claim} in the caller's transaction: fences older epochs only once the caller commits. */
    public static Optional<Checkpoint> claimInTransaction(Connection c, String replicationId, long epoch)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO helios.replication_checkpoint AS cp"
                + " (replication_id, lsn, lease_epoch, state) VALUES (?, NULL, ?, 'COPYING')"
                + " ON CONFLICT (replication_id) DO UPDATE SET lease_epoch = EXCLUDED.lease_epoch, updated_at = now(),"
                + " state = CASE WHEN cp.lsn IS NULL THEN 'COPYING' ELSE cp.state END"
                + " WHERE cp.lease_epoch <= EXCLUDED.lease_epoch"
                + " RETURNING lsn::text, lease_epoch, source_commit_time")) {
            ps.setString(1, replicationId);
            ps.setLong(2, epoch);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new StaleLeaseException(replicationId, epoch);
                }
                return rs.getString(1) == null ? Optional.empty() : Optional.of(checkpoint(replicationId, rs));
            }
        }
    }

    /** Whether {@code epoch} still holds the row (in the caller's transaction); no row counts as not held. */
    public static boolean held(Connection c, String replicationId, long epoch) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM helios.replication_checkpoint"
                + " WHERE replication_id = ? AND lease_epoch = ?")) {
            ps.setString(1, replicationId);
            ps.setLong(2, epoch);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    /**
     * Ends an initial copy in the caller's transaction (the one holding the copied rows): sets the
     * checkpoint to the slot's consistent point only while {@code epoch} is still the row's, as
     * {@link #claim} wrote it.
     *
     * @throws StaleLeaseException when the row moved to another epoch (or is gone): roll back
     */
    public static void completeCopy(Connection c, String replicationId, long epoch, Lsn lsn) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE helios.replication_checkpoint SET lsn = ?::pg_lsn,"
                + " state = 'READY', source_commit_time = NULL, updated_at = now()"
                + " WHERE replication_id = ? AND lease_epoch = ?")) {
            ps.setString(1, lsn.toString());
            ps.setString(2, replicationId);
            ps.setLong(3, epoch);
            if (ps.executeUpdate() == 0) {
                throw new StaleLeaseException(replicationId, epoch);
            }
        }
    }

    /**
     * Fences the row for a stop or delete, in a transaction of the caller's: no position any more
     * (state {@link CheckpointState#NEEDS_COPY}) and epoch {@code epoch} unless a newer one holds it,
     * so every worker of an older epoch is refused (its copy cannot commit, its stream cannot apply)
     * and the next start copies afresh. Writes the row when the target has none, so that a
     * bootstrap that has not claimed yet is refused too.
     */
    public static void requireCopy(Connection c, String replicationId, long epoch) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO helios.replication_checkpoint AS cp"
                + " (replication_id, lsn, lease_epoch, state) VALUES (?, NULL, ?, 'NEEDS_COPY')"
                + " ON CONFLICT (replication_id) DO UPDATE SET lsn = NULL, source_commit_time = NULL,"
                + " state = 'NEEDS_COPY', lease_epoch = greatest(cp.lease_epoch, EXCLUDED.lease_epoch), updated_at = now()")) {
            ps.setString(1, replicationId);
            ps.setLong(2, epoch);
            ps.executeUpdate();
        }
    }

    /**
     * Moves the position forward to {@code lsn} without changes, in the caller's transaction:
     * for a stretch of the source's WAL known to hold nothing for the tenant (the capture engine
     * saw nothing in flight up to {@code lsn}), recorded before the slot is confirmed there. Never
     * moves it back; a no-op unless {@code epoch} holds a position.
     *
     * @return whether the position moved
     */
    public static boolean release(Connection c, String replicationId, long epoch, Lsn lsn) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE helios.replication_checkpoint SET lsn = ?::pg_lsn,"
                + " updated_at = now() WHERE replication_id = ? AND lease_epoch = ? AND state = 'READY'"
                + " AND lsn < ?::pg_lsn")) {
            ps.setString(1, lsn.toString());
            ps.setString(2, replicationId);
            ps.setLong(3, epoch);
            ps.setString(4, lsn.toString());
            return ps.executeUpdate() > 0;
        }
    }

    /**
     * Advances the checkpoint in the caller's transaction; throws when a newer epoch holds it.
     * Answers the target's WAL positions as the update saw them, which lie past the commit record
     * of every transaction this session committed before (the applier tracks durability with them).
     */
    public static TargetWal advance(Connection c, String replicationId, long epoch, Lsn lsn, Instant commitTime)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE helios.replication_checkpoint SET lsn = ?::pg_lsn,"
                + " source_commit_time = ?, updated_at = now() WHERE replication_id = ? AND lease_epoch <= ?"
                + " AND lsn IS NOT NULL RETURNING pg_current_wal_insert_lsn()::text, pg_current_wal_flush_lsn()::text")) {
            ps.setString(1, lsn.toString());
            ps.setTimestamp(2, commitTime == null ? null : Timestamp.from(commitTime));
            ps.setString(3, replicationId);
            ps.setLong(4, epoch);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new StaleLeaseException(replicationId, epoch);
                }
                return new TargetWal(Lsn.parse(rs.getString(1)).value(), Lsn.parse(rs.getString(2)).value());
            }
        }
    }

    /**
     * Writes a checkpoint at a position in the caller's transaction, replacing one of the same or
     * an older epoch (set-up of tests and tools; an initial copy ends with {@link #completeCopy}).
     *
     * @throws StaleLeaseException when a newer epoch holds the checkpoint
     */
    public static void insert(Connection c, String replicationId, long epoch, Lsn lsn) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO helios.replication_checkpoint"
                + " (replication_id, lsn, lease_epoch, state) VALUES (?, ?::pg_lsn, ?, 'READY') ON CONFLICT (replication_id)"
                + " DO UPDATE SET lsn = EXCLUDED.lsn, lease_epoch = EXCLUDED.lease_epoch, state = 'READY', updated_at = now()"
                + " WHERE helios.replication_checkpoint.lease_epoch <= EXCLUDED.lease_epoch")) {
            ps.setString(1, replicationId);
            ps.setString(2, lsn.toString());
            ps.setLong(3, epoch);
            if (ps.executeUpdate() == 0) {
                throw new StaleLeaseException(replicationId, epoch);
            }
        }
    }

    /** Removes the row (tests and tools; a stop or delete fences it with {@link #requireCopy} instead). */
    public static void delete(Connection c, String replicationId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "DELETE FROM helios.replication_checkpoint WHERE replication_id = ?")) {
            ps.setString(1, replicationId);
            ps.executeUpdate();
        }
    }

    private static Checkpoint checkpoint(String id, ResultSet rs) throws SQLException {
        Timestamp t = rs.getTimestamp(3);
        return new Checkpoint(id, Lsn.parse(rs.getString(1)), rs.getLong(2), t == null ? null : t.toInstant());
    }
}
