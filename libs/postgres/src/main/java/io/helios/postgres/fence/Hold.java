package io.helios.postgres.fence;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The fence's second mode, for a cutover: the tenant's writers on this endpoint wait instead of
 * being refused. The cutover's session takes the tenant's advisory lock exclusively
 * ({@value #LOCK_CLASS}, {@code hashtext(tenant)}) and lists the tenant in
 * {@code helios.tenant_fence} with {@code hold = true}; the guard triggers, which read that row
 * for every row of a protected tenant anyway, then take the lock shared and so wait for the cutover,
 * and read the row again once they have it: after {@link #refuse} they are refused with its
 * reason ("moved to ..."), after {@link #release} the row is gone and they go on. Writers of other
 * tenants never wait (their rows never look at this tenant's row). If the holding session dies
 * (the migration service is killed), the lock goes with it and the row stays: writers are then
 * refused with the hold's reason until a cutover decides, so the tenant is never written on two
 * endpoints. Every method runs on the one session that holds, in autocommit; not thread-safe.
 */
public final class Hold {

    /** The advisory lock's first key: the hold of a tenant (second key: {@code hashtext(tenant)}). */
    public static final int LOCK_CLASS = 0x484C4431; // "HLD1"

    private final Connection session;
    private final String tenantId;
    private Instant since;
    private long startedNanos;

    private Hold(Connection session, String tenantId) {
        this.session = session;
        this.tenantId = tenantId;
    }

    /**
     * Puts the tenant on hold: takes its lock exclusively (waiting at most {@code lockTimeout} for
     * writers still inside an earlier hold's lock), then commits the hold row.
     *
     * @param session an autocommit session of its own, which must stay open until released
     * @return the hold; {@link #since()} is when its row was committed
     */
    public static Hold begin(Connection session, String tenantId, String reason, Duration lockTimeout) throws SQLException {
        if (!session.getAutoCommit()) {
            throw new IllegalArgumentException("the hold's session must be in autocommit");
        }
        Hold hold = new Hold(session, tenantId);
        try (Statement s = session.createStatement()) {
            s.execute("SET lock_timeout = " + Math.max(1, lockTimeout.toMillis()));
        }
        try (PreparedStatement ps = session.prepareStatement("SELECT pg_catalog.pg_advisory_lock(?, pg_catalog.hashtext(?))")) {
            ps.setInt(1, LOCK_CLASS);
            ps.setString(2, tenantId);
            ps.execute();
        }
        hold.startedNanos = System.nanoTime();
        try (PreparedStatement ps = session.prepareStatement("INSERT INTO helios.tenant_fence (tenant_id, reason, hold)"
                + " VALUES (?, ?, true) ON CONFLICT (tenant_id) DO UPDATE SET reason = EXCLUDED.reason, hold = true,"
                + " fenced_at = now()")) {
            ps.setString(1, tenantId);
            ps.setString(2, reason);
            ps.executeUpdate();
        } catch (SQLException e) {
            unlockQuietly(hold, e);
            throw e;
        }
        hold.since = now(session);
        return hold;
    }

    /** {@link System#nanoTime()} just before the hold's row was written: writers may wait from then on. */
    public long startedNanos() {
        return startedNanos;
    }

    /** When the hold's row was committed (the source's clock): writers that started later wait. */
    public Instant since() {
        return since;
    }

    /**
     * The server processes that may still commit writes to the tenant's {@code tables} made before
     * the hold: in a transaction begun before it, holding a write lock on one of the tables, and
     * not waiting for this hold (those cannot commit before it ends, and are refused or let through
     * by its end).
     */
    public List<Integer> inFlightWriters(List<Long> tableOids) throws SQLException {
        List<Integer> pids = new ArrayList<>();
        try (PreparedStatement ps = session.prepareStatement("""
                SELECT a.pid FROM pg_catalog.pg_stat_activity a
                 WHERE a.pid <> pg_catalog.pg_backend_pid() AND a.datname = pg_catalog.current_database()
                   AND a.xact_start < ?
                   AND EXISTS (SELECT 1 FROM pg_catalog.pg_locks l WHERE l.pid = a.pid AND l.locktype = 'relation'
                                 AND l.granted AND l.relation::bigint = ANY (?)
                                 AND l.mode IN ('RowExclusiveLock', 'ShareRowExclusiveLock', 'ExclusiveLock',
                                                'AccessExclusiveLock'))
                   AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_locks w WHERE w.pid = a.pid AND w.locktype = 'advisory'
                                     AND NOT w.granted AND w.classid::bigint = ?
                                     AND w.objid::bigint = (pg_catalog.hashtext(?)::bigint & 4294967295))""")) {
            ps.setTimestamp(1, Timestamp.from(since));
            ps.setArray(2, session.createArrayOf("bigint", tableOids.toArray()));
            ps.setLong(3, LOCK_CLASS);
            ps.setString(4, tenantId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    pids.add(rs.getInt(1));
                }
            }
        }
        return pids;
    }

    /** Writers waiting for this hold at this moment (for the logs and the figures). */
    public int waiting() throws SQLException {
        try (PreparedStatement ps = session.prepareStatement("SELECT count(*) FROM pg_catalog.pg_locks w"
                + " WHERE w.locktype = 'advisory' AND NOT w.granted AND w.classid::bigint = ?"
                + " AND w.objid::bigint = (pg_catalog.hashtext(?)::bigint & 4294967295)")) {
            ps.setLong(1, LOCK_CLASS);
            ps.setString(2, tenantId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    /** The end of WAL on this endpoint now: every write committed so far lies before it. */
    public String currentWalLsn() throws SQLException {
        try (Statement s = session.createStatement();
             ResultSet rs = s.executeQuery("SELECT pg_catalog.pg_current_wal_lsn()::text")) {
            rs.next();
            return rs.getString(1);
        }
    }

    /** Ends the hold as a refusal: the row keeps {@code reason} (the tenant moved), then waiting writers are let go. */
    public void refuse(String reason) throws SQLException {
        Fence.fence(session, tenantId, reason);
        unlock();
    }

    /** Ends the hold as if it never was: the row goes, then waiting writers go on writing here. */
    public void release() throws SQLException {
        Fence.unfence(session, tenantId);
        unlock();
    }

    /**
     * Lets go of the lock and leaves the row a hold: writers are refused with the hold's reason until
     * someone decides with {@link Fence#fence} or {@link Fence#unfence} (what a holder that died leaves).
     */
    public void abandon() throws SQLException {
        unlock();
    }

    private void unlock() throws SQLException {
        try (PreparedStatement ps = session.prepareStatement("SELECT pg_catalog.pg_advisory_unlock(?, pg_catalog.hashtext(?))")) {
            ps.setInt(1, LOCK_CLASS);
            ps.setString(2, tenantId);
            ps.execute();
        }
    }

    private static void unlockQuietly(Hold hold, SQLException cause) {
        try {
            hold.unlock();
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }

    /**
     * Whether the tenant's row on this endpoint is a hold (left by a holder that died): the caller
     * decides it with {@link Fence#fence} (moved) or {@link Fence#unfence} (stays here).
     */
    public static boolean isHeld(Connection c, String tenantId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT hold FROM helios.tenant_fence WHERE tenant_id = ?")) {
            ps.setString(1, tenantId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        }
    }

    private static Instant now(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT pg_catalog.clock_timestamp()")) {
            rs.next();
            return rs.getTimestamp(1).toInstant();
        }
    }
}
