package io.helios.bench.replication;

import io.helios.testsupport.PostgresCluster;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Concurrent clients writing TPC-B-like transactions to the source's {@code oltp} schema, one
 * connection and one thread each: an account update by key (hot-ish at 100K rows), a teller
 * update (50 rows), a branch update (5 hot rows) and a history insert, committed. With
 * {@code mixed}, one transaction in ten updates a range of 10 accounts instead of one, and one in
 * ten also deletes the history row its client wrote five transactions earlier (only rows of that
 * kind are ever deleted, so every other transaction's history row stays measurable). Deadlocks
 * and serialization failures are rolled back and retried. A client keeps its connection and its
 * sequence across runs; {@link #close()} ends them. Runs are not concurrent with each other.
 */
final class OltpClients implements AutoCloseable {

    /** Transactions, row changes and retries of a run, and the transactions and row changes that committed inside its window. */
    record Result(long transactions, long rowChanges, long retries, long windowTransactions, long windowRowChanges) {
    }

    private final PostgresCluster source;
    private final List<Client> clients = new ArrayList<>();
    private final ExecutorService threads;
    private final int accounts;
    private final boolean mixed;

    OltpClients(PostgresCluster source, int clients, int accounts, boolean mixed) {
        this.source = source;
        this.accounts = accounts;
        this.mixed = mixed;
        for (int i = 0; i < clients; i++) {
            this.clients.add(new Client(i));
        }
        this.threads = Executors.newFixedThreadPool(clients, r -> {
            Thread t = new Thread(r, "oltp-client");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Commits {@code transactions} transactions between the clients, as fast as they go, without
     * waiting for each commit's WAL flush ({@code synchronous_commit = off}): a backlog is only
     * written, not measured, and its WAL (what both systems decode) is the same either way.
     */
    Result count(long transactions) throws Exception {
        AtomicLong budget = new AtomicLong(transactions);
        return run(false, c -> {
            while (budget.getAndDecrement() > 0) {
                c.transaction(Long.MAX_VALUE, Long.MAX_VALUE);
            }
        });
    }

    /**
     * Commits at {@code rate} transactions per second in total from now until {@code endNanos}
     * ({@link System#nanoTime()}), each client on its own schedule; a client behind its schedule
     * does not wait (open loop) and stops at the end too. Commits returning between
     * {@code windowStartNanos} and the end count in the window.
     */
    Result paced(int rate, long windowStartNanos, long endNanos) throws Exception {
        long start = System.nanoTime();
        long interval = 1_000_000_000L * clients.size() / rate;
        return run(true, c -> {
            for (long k = 0; ; k++) {
                long due = start + k * interval + c.index * interval / clients.size();
                // a client behind its schedule stops at the end all the same
                if (due >= endNanos || System.nanoTime() >= endNanos) {
                    return;
                }
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                }
                c.transaction(windowStartNanos, endNanos);
            }
        });
    }

    /** One more plain transaction after all others have committed: its history id is the largest yet. */
    long marker() throws SQLException {
        Client c = new Client(clients.size());
        try {
            c.transaction(Long.MAX_VALUE, Long.MAX_VALUE);
            return c.lastHid;
        } finally {
            c.close();
        }
    }

    private interface Work {
        void on(Client c) throws SQLException;
    }

    private Result run(boolean durable, Work work) throws Exception {
        List<long[]> before = clients.stream().map(Client::counters).toList();
        List<Future<?>> running = new ArrayList<>();
        for (Client c : clients) {
            running.add(threads.submit(() -> {
                c.open(durable);
                work.on(c);
                return null;
            }));
        }
        for (Future<?> f : running) {
            f.get();
        }
        long[] sum = new long[5];
        for (int i = 0; i < clients.size(); i++) {
            long[] now = clients.get(i).counters();
            for (int j = 0; j < sum.length; j++) {
                sum[j] += now[j] - before.get(i)[j];
            }
        }
        return new Result(sum[0], sum[1], sum[2], sum[3], sum[4]);
    }

    @Override
    public void close() {
        threads.shutdownNow();
        clients.forEach(Client::close);
    }

    /** One client: its connection, statements, random stream and counters; used by one thread at a time. */
    private final class Client {

        private static final String FILLER = "history filler: forty-odd characters of text";
        private final int index;
        private final SplittableRandom random;
        /** History ids this client wrote, by sequence number modulo 10. */
        private final long[] recent = new long[10];
        private Connection conn;
        private PreparedStatement account;
        private PreparedStatement accountRange;
        private PreparedStatement teller;
        private PreparedStatement branch;
        private PreparedStatement history;
        private PreparedStatement deleteHistory;
        private boolean durable = true;
        private long seq;
        private long lastHid;
        private long transactions;
        private long rowChanges;
        private long retries;
        private long windowTransactions;
        private long windowRowChanges;

        Client(int index) {
            this.index = index;
            this.random = new SplittableRandom(42 + index);
        }

        long[] counters() {
            return new long[]{transactions, rowChanges, retries, windowTransactions, windowRowChanges};
        }

        void transaction(long windowStart, long windowEnd) throws SQLException {
            open(durable);
            int kind = (int) (seq % 10);
            boolean range = mixed && kind == 3;
            long doomed = mixed && kind == 7 ? recent[(int) ((seq - 5) % 10)] : 0;
            int aid = 1 + random.nextInt(range ? accounts - 9 : accounts);
            int tid = 1 + random.nextInt(OltpWorkload.TELLERS);
            int bid = 1 + random.nextInt(OltpWorkload.BRANCHES);
            int delta = random.nextInt(-5000, 5001);
            for (int attempt = 1; ; attempt++) {
                try {
                    long rows = apply(range, doomed, aid, tid, bid, delta);
                    conn.commit();
                    long now = System.nanoTime();
                    recent[(int) (seq % 10)] = lastHid;
                    seq++;
                    transactions++;
                    rowChanges += rows;
                    if (now >= windowStart && now < windowEnd) {
                        windowTransactions++;
                        windowRowChanges += rows;
                    }
                    return;
                } catch (SQLException e) {
                    conn.rollback();
                    String state = e.getSQLState();
                    if (attempt >= 10 || !("40P01".equals(state) || "40001".equals(state))) {
                        throw e;
                    }
                    retries++;
                }
            }
        }

        private long apply(boolean range, long doomed, int aid, int tid, int bid, int delta) throws SQLException {
            long rows;
            PreparedStatement a = range ? accountRange : account;
            a.setInt(1, delta);
            a.setInt(2, aid);
            if (range) {
                a.setInt(3, aid);
            }
            rows = a.executeUpdate();
            rows += update(teller, delta, tid);
            rows += update(branch, delta, bid);
            history.setInt(1, tid);
            history.setInt(2, bid);
            history.setInt(3, aid);
            history.setInt(4, delta);
            history.setString(5, FILLER);
            try (ResultSet rs = history.executeQuery()) {
                rs.next();
                lastHid = rs.getLong(1);
            }
            rows++;
            if (doomed != 0) {
                deleteHistory.setLong(1, doomed);
                rows += deleteHistory.executeUpdate();
            }
            return rows;
        }

        private static int update(PreparedStatement ps, int delta, int key) throws SQLException {
            ps.setInt(1, delta);
            ps.setInt(2, key);
            return ps.executeUpdate();
        }

        /** Connects on first use; {@code durable}: whether a commit waits for its WAL to reach the disk. */
        void open(boolean durable) throws SQLException {
            if (conn != null) {
                if (durable != this.durable) {
                    try (var s = conn.createStatement()) {
                        s.execute("SET synchronous_commit = " + (durable ? "on" : "off"));
                    }
                    conn.commit();
                    this.durable = durable;
                }
                return;
            }
            this.durable = true;
            conn = source.connect(Setup.SOURCE_DB);
            conn.setAutoCommit(false);
            account = conn.prepareStatement("UPDATE oltp.accounts SET abalance = abalance + ? WHERE aid = ?");
            accountRange = conn.prepareStatement("UPDATE oltp.accounts SET abalance = abalance + ? WHERE aid BETWEEN ? AND ? + 9");
            teller = conn.prepareStatement("UPDATE oltp.tellers SET tbalance = tbalance + ? WHERE tid = ?");
            branch = conn.prepareStatement("UPDATE oltp.branches SET bbalance = bbalance + ? WHERE bid = ?");
            history = conn.prepareStatement("INSERT INTO oltp.history (tid, bid, aid, delta, filler) VALUES (?, ?, ?, ?, ?) RETURNING hid");
            deleteHistory = conn.prepareStatement("DELETE FROM oltp.history WHERE hid = ?");
            open(durable);
        }

        void close() {
            try {
                if (conn != null) {
                    conn.close();
                }
            } catch (SQLException e) {
                // the run is over; nothing to keep
            }
        }
    }
}
