package io.helios.postgres.fence;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The fence's second mode, for a cutover: the tenant's writers on this endpoint wait instead of
 * being refused. Every write of a protected tenant's row takes the tenant's advisory lock
 * ({@value #LOCK_CLASS}, {@code hashtext(tenant)}) shared until its transaction ends, then reads
 * {@code helios.tenant_fence}; the cutover takes that lock exclusively. So taking the hold
 * <em>is</em> waiting for the writers in flight (they hold the lock shared; writers that have not
 * written the tenant yet queue behind the hold and pause), and it writes nothing: the source's end
 * of WAL read under the hold is the tenant's last commit (plus what others wrote), with nothing of
 * the hold's own. Other tenants, those of shared ROW tables included, never take this lock.
 *
 * <p>Before the route moves, {@link #markMoving} commits a row that refuses the tenant's writes,
 * with {@code hold = true} ("decision pending"): if the holding session dies from then on, its lock
 * goes and the row stays, so the source refuses the tenant (never writable in two places) until
 * someone who knows where the route points decides ({@link Fence#fence} or {@link Fence#unfence}).
 * The hold ends with {@link #refuse} (moved: released writers read the refusal naming the move) or
 * {@link #release} (the row, if any, goes; released writers go on). Every method runs on the one
 * session that holds, in autocommit; not thread-safe.
 */
public final class Hold {

    /** The advisory lock's first key: the hold of a tenant (second key: {@code hashtext(tenant)}). */
    public static final int LOCK_CLASS = 0x484C4431; // "HLD1"

    private final Connection session;
    private final String tenantId;
    private long startedNanos;

    private Hold(Connection session, String tenantId) {
        this.session = session;
        this.tenantId = tenantId;
    }

    /**
     * Puts the tenant on hold: asks for its lock exclusively, which new writers of the tenant queue
     * behind at once (the write pause starts here), and gets it once the transactions that wrote the
     * tenant before have ended.
     *
     * @param session     an autocommit session of its own, which must stay open until the hold ends
     * @param lockTimeout how long to wait for the writers in flight
     * @throws SQLException SQLSTATE 55P03 when they did not end within {@code lockTimeout} (no hold is
     *                      left: the queued writers go on)
     */
    public static Hold begin(Connection session, String tenantId, Duration lockTimeout) throws SQLException {
        if (!session.getAutoCommit()) {
            throw new IllegalArgumentException("the hold's session must be in autocommit");
        }
        Hold hold = new Hold(session, tenantId);
        try (Statement s = session.createStatement()) {
            s.execute("SET lock_timeout = " + Math.max(1, lockTimeout.toMillis()));
        }
        hold.startedNanos = System.nanoTime();
        try (PreparedStatement ps = session.prepareStatement("SELECT pg_catalog.pg_advisory_lock(?, pg_catalog.hashtext(?))")) {
            ps.setInt(1, LOCK_CLASS);
            ps.setString(2, tenantId);
            ps.execute();
        }
        return hold;
    }

    /** {@link System#nanoTime()} when the lock was asked for: the tenant's writers may wait from then on. */
    public long startedNanos() {
        return startedNanos;
    }

    /**
     * Before the route moves: commits the refusal-in-waiting ({@code hold = true}, {@code reason}), so
     * that a holder that dies from here on leaves the tenant refused on this endpoint.
     */
    public void markMoving(String reason) throws SQLException {
        try (PreparedStatement ps = session.prepareStatement("INSERT INTO helios.tenant_fence (tenant_id, reason, hold)"
                + " VALUES (?, ?, true) ON CONFLICT (tenant_id) DO UPDATE SET reason = EXCLUDED.reason, hold = true,"
                + " fenced_at = now()")) {
            ps.setString(1, tenantId);
            ps.setString(2, reason);
            ps.executeUpdate();
        }
    }

    /** Writers of the tenant queued behind the hold at this moment (for the logs and tests). */
    public int waiting() throws SQLException {
        return waiting(session, tenantId);
    }

    /** Writers of the tenant waiting for its lock on this endpoint. */
    public static int waiting(Connection c, String tenantId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM pg_catalog.pg_locks w"
                + " WHERE w.locktype = 'advisory' AND NOT w.granted AND w.classid::bigint = ?"
                + " AND w.objid::bigint = (pg_catalog.hashtext(?)::bigint & 4294967295) AND w.mode = 'ShareLock'")) {
            ps.setLong(1, LOCK_CLASS);
            ps.setString(2, tenantId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    /** The server processes holding the tenant's lock shared: transactions that wrote the tenant and have not ended. */
    public static List<Integer> writersInFlight(Connection c, String tenantId) throws SQLException {
        List<Integer> pids = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT pid FROM pg_catalog.pg_locks WHERE locktype = 'advisory'"
                + " AND granted AND mode = 'ShareLock' AND classid::bigint = ?"
                + " AND objid::bigint = (pg_catalog.hashtext(?)::bigint & 4294967295) ORDER BY pid")) {
            ps.setLong(1, LOCK_CLASS);
            ps.setString(2, tenantId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    pids.add(rs.getInt(1));
                }
            }
        }
        return pids;
    }

    /** The end of WAL on this endpoint now: under the hold, every write of the tenant committed here lies before it. */
    public String currentWalLsn() throws SQLException {
        try (Statement s = session.createStatement();
             ResultSet rs = s.executeQuery("SELECT pg_catalog.pg_current_wal_lsn()::text")) {
            rs.next();
            return rs.getString(1);
        }
    }

    /** Ends the hold as a refusal: the row keeps {@code reason} (the tenant moved), then the queued writers go and read it. */
    public void refuse(String reason) throws SQLException {
        Fence.fence(session, tenantId, reason);
        unlock();
    }

    /** Ends the hold as if it never was: a refusal-in-waiting goes, then the queued writers go on writing here. */
    public void release() throws SQLException {
        Fence.unfence(session, tenantId);
        unlock();
    }

    /**
     * Lets go of the lock and leaves the row as it is (what a holder that dies leaves): after
     * {@link #markMoving}, writers are refused until someone decides.
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

    /**
     * Whether the tenant's row on this endpoint is a refusal-in-waiting (left by a holder that died):
     * the caller decides it with {@link Fence#fence} (moved) or {@link Fence#unfence} (stays here).
     */
    public static boolean isHeld(Connection c, String tenantId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT hold FROM helios.tenant_fence WHERE tenant_id = ?")) {
            ps.setString(1, tenantId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        }
    }
}
