package io.helios.stack;

import io.helios.testsupport.PostgresCluster;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A continuous write load on a tenant's schema while a crash happens: each writer commits, every
 * few milliseconds, one transaction that appends three rows to {@code ledger} (numbered 1, 2, 3...
 * per writer: a history with a unique key, so a row lost leaves a gap and a row applied twice
 * breaks the key) and updates the writer's hot row in {@code counters}. Counts what committed,
 * so a test can tell exactly which rows the replica must hold. Paced by a scheduler, one thread
 * and one connection per writer; {@link #stop()} ends it and reports any write that failed.
 */
final class WriteLoad implements AutoCloseable {

    static final String DDL_LEDGER = "CREATE TABLE %s.ledger (writer int NOT NULL, n bigint NOT NULL, note text,"
            + " at timestamptz NOT NULL DEFAULT clock_timestamp(), PRIMARY KEY (writer, n))";
    static final String DDL_COUNTERS = "CREATE TABLE %s.counters (writer int PRIMARY KEY, v bigint NOT NULL,"
            + " last_n bigint NOT NULL)";
    private static final int ROWS_PER_TRANSACTION = 3;

    private final ScheduledExecutorService pacer;
    private final Map<Integer, AtomicLong> committed = new ConcurrentHashMap<>();
    private final List<Throwable> failures = new CopyOnWriteArrayList<>();
    private final List<Connection> connections = new ArrayList<>();

    private WriteLoad(int writers) {
        this.pacer = Executors.newScheduledThreadPool(writers, r -> {
            Thread t = new Thread(r, "write-load");
            t.setDaemon(true);
            return t;
        });
    }

    /** Creates {@code ledger} and {@code counters} in {@code schema} (which must exist). */
    static void createTables(PostgresCluster c, String db, String schema) {
        Databases.exec(c, db, DDL_LEDGER.formatted(schema), DDL_COUNTERS.formatted(schema));
    }

    /** Starts {@code writers} writers, one transaction each every {@code everyMillis}. */
    static WriteLoad start(PostgresCluster c, String db, String schema, int writers, long everyMillis) {
        WriteLoad load = new WriteLoad(writers);
        try {
            for (int w = 1; w <= writers; w++) {
                Connection conn = c.connect(db);
                conn.setAutoCommit(false);
                load.connections.add(conn);
                long start = load.resume(conn, schema, w);
                load.committed.put(w, new AtomicLong(start));
                int writer = w;
                load.pacer.scheduleWithFixedDelay(() -> load.write(conn, schema, writer), 0, everyMillis,
                        TimeUnit.MILLISECONDS);
            }
            return load;
        } catch (SQLException e) {
            load.close();
            throw new IllegalStateException("cannot start the write load: " + e.getMessage(), e);
        }
    }

    private long resume(Connection conn, String schema, int writer) throws SQLException {
        try (Statement s = conn.createStatement()) {
            s.execute("INSERT INTO " + schema + ".counters VALUES (" + writer + ", 0, 0) ON CONFLICT DO NOTHING");
            conn.commit();
            var rs = s.executeQuery("SELECT coalesce(max(n), 0) FROM " + schema + ".ledger WHERE writer = " + writer);
            rs.next();
            long last = rs.getLong(1);
            conn.commit();
            return last;
        }
    }

    private void write(Connection conn, String schema, int writer) {
        if (!failures.isEmpty()) {
            return;
        }
        long from = committed.get(writer).get() + 1;
        long to = from + ROWS_PER_TRANSACTION - 1;
        try (PreparedStatement insert = conn.prepareStatement("INSERT INTO " + schema + ".ledger (writer, n, note)"
                + " SELECT ?, g, 'row ' || g FROM generate_series(?::bigint, ?::bigint) g");
             PreparedStatement update = conn.prepareStatement("UPDATE " + schema + ".counters SET v = v + 1, last_n = ?"
                     + " WHERE writer = ?")) {
            insert.setInt(1, writer);
            insert.setLong(2, from);
            insert.setLong(3, to);
            insert.executeUpdate();
            update.setLong(1, to);
            update.setInt(2, writer);
            update.executeUpdate();
            conn.commit();
            committed.get(writer).set(to);
        } catch (SQLException | RuntimeException e) {
            failures.add(e);
        }
    }

    /** Ledger rows committed so far, all writers. */
    long committedRows() {
        return committed.values().stream().mapToLong(AtomicLong::get).sum();
    }

    /** Stops writing; answers the last committed {@code n} of each writer; fails if a write failed. */
    Map<Integer, Long> stop() {
        pacer.shutdown();
        try {
            if (!pacer.awaitTermination(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the write load did not stop within 30 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        close();
        if (!failures.isEmpty()) {
            throw new IllegalStateException("a write of the load failed: " + failures.get(0).getMessage(), failures.get(0));
        }
        Map<Integer, Long> out = new TreeMap<>();
        committed.forEach((w, n) -> out.put(w, n.get()));
        return out;
    }

    @Override
    public void close() {
        pacer.shutdownNow();
        for (Connection c : connections) {
            try {
                c.close();
            } catch (SQLException e) {
                // closing after the load: nothing to keep
            }
        }
        connections.clear();
    }
}
