package io.helios.postgres.apply;

import io.helios.core.change.Lsn;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Lets the applier commit with {@code synchronous_commit = off} (as PostgreSQL's own
 * subscription workers do) without risking exactly-once: after each commit it notes the
 * target's WAL insert position beside the source end LSN just applied, and hands a source LSN
 * out for confirmation to the slot only once the target's WAL is flushed past that position.
 * Should the target crash and lose asynchronously committed groups, it loses their checkpoint
 * with them, the slot still holds those changes, and they are streamed and applied again.
 * Single-threaded, like its applier.
 */
final class Durability {

    private record Pending(Lsn source, long targetWal) {
    }

    private final Deque<Pending> pending = new ArrayDeque<>();
    private long flushed;

    /** After a commit on {@code c}: the group up to {@code sourceEnd} is visible, durable later. */
    void committed(Connection c, Lsn sourceEnd) throws SQLException {
        long[] wal = positions(c);
        pending.addLast(new Pending(sourceEnd, wal[0]));
        flushed = wal[1];
    }

    /** The newest source LSN now durable on the target, or null when none became durable. */
    Lsn durableUpTo(Connection c) throws SQLException {
        if (pending.isEmpty()) {
            return null;
        }
        if (pending.peekFirst().targetWal() > flushed) {
            flushed = positions(c)[1];
        }
        Lsn durable = null;
        while (!pending.isEmpty() && pending.peekFirst().targetWal() <= flushed) {
            durable = pending.removeFirst().source();
        }
        return durable;
    }

    /**
     * Makes every commit so far durable now, for a clean stop: one synchronous commit of a
     * transaction with an xid flushes the target's WAL through its own commit record, and so
     * through every asynchronous commit before it.
     */
    void flush(Connection c) throws SQLException {
        if (pending.isEmpty()) {
            return;
        }
        try (Statement s = c.createStatement()) {
            s.execute("SET LOCAL synchronous_commit = on");
            s.execute("SELECT pg_current_xact_id()");
        }
        c.commit();
    }

    void reset() {
        pending.clear();
        flushed = 0;
    }

    /** The target's WAL insert and flush positions, read in one round trip. */
    private static long[] positions(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT pg_current_wal_insert_lsn()::text, pg_current_wal_flush_lsn()::text")) {
            rs.next();
            long[] out = {Lsn.parse(rs.getString(1)).value(), Lsn.parse(rs.getString(2)).value()};
            c.commit();
            return out;
        }
    }
}
