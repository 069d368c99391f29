package io.helios.postgres.apply;

import io.helios.core.change.Lsn;
import io.helios.postgres.checkpoint.TargetWal;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.TimeUnit;

/**
 * Lets the applier commit with {@code synchronous_commit = off} (as PostgreSQL's own
 * subscription workers do) without risking exactly-once: each committed group's source end LSN
 * waits beside a target WAL position past its commit record, and is handed out for confirmation
 * to the slot only once the target's WAL is flushed past that position. Should the target crash
 * and lose asynchronously committed groups, it loses their checkpoint with them, the slot still
 * holds those changes, and they are streamed and applied again.
 *
 * <p>The positions cost no round trip on a busy stream: the next group's checkpoint update
 * returns the target's WAL insert and flush positions ({@link #observed}), and an insert position
 * read in a later transaction lies past every earlier commit record. Only when no later group
 * came does {@link #durableUpTo} ask the target itself, at most every {@link #QUERY_SPACING_NANOS}:
 * confirming the slot is about releasing WAL on the source, not about lag. Single-threaded, like
 * its applier.
 */
final class Durability {

    private static final long UNKNOWN = Long.MAX_VALUE;
    private static final long QUERY_SPACING_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private static final class Pending {
        private final Lsn source;
        private long targetWal = UNKNOWN;

        private Pending(Lsn source) {
            this.source = source;
        }
    }

    private final Deque<Pending> pending = new ArrayDeque<>();
    private long flushed;
    private long lastQuery = System.nanoTime() - QUERY_SPACING_NANOS;

    /** After a commit: the group up to {@code sourceEnd} is visible, durable later. */
    void committed(Lsn sourceEnd) {
        pending.addLast(new Pending(sourceEnd));
    }

    /**
     * Positions read after every commit so far (in a later transaction, or outside one): they lie
     * past each earlier commit record.
     */
    void observed(TargetWal wal) {
        for (Pending p : pending) {
            if (p.targetWal == UNKNOWN) {
                p.targetWal = wal.insert();
            }
        }
        flushed = Math.max(flushed, wal.flush());
    }

    /** The newest source LSN now durable on the target, or null when none became durable. */
    Lsn durableUpTo(Connection c) throws SQLException {
        if (pending.isEmpty()) {
            return null;
        }
        if (pending.peekFirst().targetWal > flushed && System.nanoTime() - lastQuery >= QUERY_SPACING_NANOS) {
            observed(positions(c));
        }
        return popDurable();
    }

    /**
     * Makes every commit so far durable now, for a clean stop: one synchronous commit of a
     * transaction with an xid flushes the target's WAL through its own commit record, and so
     * through every asynchronous commit before it. Answers the newest source LSN now durable.
     */
    Lsn flush(Connection c) throws SQLException {
        if (pending.isEmpty()) {
            return null;
        }
        try (Statement s = c.createStatement()) {
            s.execute("SET LOCAL synchronous_commit = on");
            s.execute("SELECT pg_current_xact_id()");
        }
        c.commit();
        observed(positions(c));
        return popDurable();
    }

    void reset() {
        pending.clear();
        flushed = 0;
    }

    private Lsn popDurable() {
        Lsn durable = null;
        while (!pending.isEmpty() && pending.peekFirst().targetWal <= flushed) {
            durable = pending.removeFirst().source;
        }
        return durable;
    }

    /** The target's WAL insert and flush positions, read in one round trip outside the apply transactions. */
    private TargetWal positions(Connection c) throws SQLException {
        lastQuery = System.nanoTime();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT pg_current_wal_insert_lsn()::text, pg_current_wal_flush_lsn()::text")) {
            rs.next();
            TargetWal out = new TargetWal(Lsn.parse(rs.getString(1)).value(), Lsn.parse(rs.getString(2)).value());
            c.commit();
            return out;
        }
    }
}
