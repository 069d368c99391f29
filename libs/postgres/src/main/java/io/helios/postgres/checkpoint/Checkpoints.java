package io.helios.postgres.checkpoint;

import io.helios.core.change.Lsn;

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
     * Creates schema {@code helios} and the checkpoint table when missing (idempotent), in the
     * caller's transaction: an initial copy installs it atomically with the data it copies.
     */
    public static void installSchema(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA IF NOT EXISTS helios");
            s.execute("CREATE TABLE IF NOT EXISTS helios.replication_checkpoint (replication_id text PRIMARY KEY,"
                    + " lsn pg_lsn NOT NULL, lease_epoch bigint NOT NULL, source_commit_time timestamptz,"
                    + " updated_at timestamptz NOT NULL DEFAULT now())");
        }
    }

    public static Optional<Checkpoint> read(Connection c, String replicationId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT lsn::text, lease_epoch, source_commit_time"
                + " FROM helios.replication_checkpoint WHERE replication_id = ?")) {
            ps.setString(1, replicationId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(checkpoint(replicationId, rs)) : Optional.empty();
            }
        }
    }

    /**
     * Takes the checkpoint over for {@code epoch} in a transaction of its own (the connection is
     * switched to auto-commit for the call, which commits anything the caller left open), before the caller reads
     * where to resume: after this commits, no older epoch can advance it.
     *
     * @return the checkpoint, or empty when the target has none for the replication yet
     * @throws StaleLeaseException when a newer epoch already holds it
     */
    public static Optional<Checkpoint> claim(Connection c, String replicationId, long epoch) throws SQLException {
        boolean auto = c.getAutoCommit();
        c.setAutoCommit(true);
        try (PreparedStatement ps = c.prepareStatement("UPDATE helios.replication_checkpoint SET lease_epoch = ?,"
                + " updated_at = now() WHERE replication_id = ? AND lease_epoch <= ?"
                + " RETURNING lsn::text, lease_epoch, source_commit_time")) {
            ps.setLong(1, epoch);
            ps.setString(2, replicationId);
            ps.setLong(3, epoch);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    return Optional.of(checkpoint(replicationId, rs));
                }
            }
            if (read(c, replicationId).isPresent()) {
                throw new StaleLeaseException(replicationId, epoch);
            }
            return Optional.empty();
        } finally {
            c.setAutoCommit(auto);
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
                + " RETURNING pg_current_wal_insert_lsn()::text, pg_current_wal_flush_lsn()::text")) {
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
     * Writes the first checkpoint (after an initial copy) in the caller's transaction, replacing one
     * of the same or an older epoch.
     *
     * @throws StaleLeaseException when a newer epoch holds the checkpoint
     */
    public static void insert(Connection c, String replicationId, long epoch, Lsn lsn) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO helios.replication_checkpoint"
                + " (replication_id, lsn, lease_epoch) VALUES (?, ?::pg_lsn, ?) ON CONFLICT (replication_id)"
                + " DO UPDATE SET lsn = EXCLUDED.lsn, lease_epoch = EXCLUDED.lease_epoch, updated_at = now()"
                + " WHERE helios.replication_checkpoint.lease_epoch <= EXCLUDED.lease_epoch")) {
            ps.setString(1, replicationId);
            ps.setString(2, lsn.toString());
            ps.setLong(3, epoch);
            if (ps.executeUpdate() == 0) {
                throw new StaleLeaseException(replicationId, epoch);
            }
        }
    }

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
