package io.helios.postgres.apply;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The set-based statements of one group, sent in one round trip: their texts joined into one
 * multi-statement prepared statement (the driver sends every part with its parameters and one
 * sync), their row counts read back one by one and checked. A group of four tables then costs one
 * round trip instead of four. Statement texts repeat from group to group (they depend on the
 * tables and columns, not on the rows), so the joined text is prepared once and kept in a small
 * cache of its own. Not thread-safe; lives inside one apply transaction, cache across them.
 */
final class SetBatch {

    /** Joined texts kept prepared; an application whose groups touch ever new table mixes evicts the oldest. */
    private static final int CACHED = 64;

    private record Part(String sql, List<Array> params, int expected, String what) {
    }

    private final Map<String, PreparedStatement> prepared = new LinkedHashMap<>(16, 0.75f, true);
    private final List<Part> parts = new ArrayList<>();

    /** Queues a statement; {@code expected} rows must be affected (negative: any number). */
    void add(String sql, List<Array> params, int expected, String what) {
        parts.add(new Part(sql, params, expected, what));
    }

    /** Sends what is queued in one round trip; answers the rows written. */
    long execute(Connection c) throws SQLException, SetApply.Mismatch {
        if (parts.isEmpty()) {
            return 0;
        }
        StringBuilder sql = new StringBuilder();
        for (Part p : parts) {
            sql.append(sql.length() == 0 ? "" : ";\n").append(p.sql());
        }
        PreparedStatement ps = statement(c, sql.toString());
        int index = 1;
        for (Part p : parts) {
            for (Array a : p.params()) {
                ps.setArray(index++, a);
            }
        }
        List<Part> sent = List.copyOf(parts);
        parts.clear();
        return check(ps, sent);
    }

    private static long check(PreparedStatement ps, List<Part> sent) throws SQLException, SetApply.Mismatch {
        boolean resultSet = ps.execute();
        long written = 0;
        for (Part p : sent) {
            if (resultSet) {
                throw new IllegalStateException("set-based statement returned rows: " + p.sql());
            }
            int count = ps.getUpdateCount();
            if (p.expected() >= 0 && count != p.expected()) {
                throw new SetApply.Mismatch(p.what() + " of " + p.expected() + " rows found " + count);
            }
            written += count;
            resultSet = ps.getMoreResults();
        }
        return written;
    }

    private PreparedStatement statement(Connection c, String sql) throws SQLException {
        PreparedStatement ps = prepared.get(sql);
        if (ps == null) {
            ps = c.prepareStatement(sql);
            prepared.put(sql, ps);
            if (prepared.size() > CACHED) {
                Iterator<PreparedStatement> eldest = prepared.values().iterator();
                eldest.next().close();
                eldest.remove();
            }
        }
        return ps;
    }

    /** Drops what is queued (the group is being redone in source order). */
    void discardQueued() {
        parts.clear();
    }

    /** The session is being discarded or its tables changed shape: close what is prepared. */
    void reset() {
        parts.clear();
        for (PreparedStatement ps : prepared.values()) {
            try {
                ps.close();
            } catch (SQLException e) {
                // closing a statement of a session being discarded: nothing to do
            }
        }
        prepared.clear();
    }
}
