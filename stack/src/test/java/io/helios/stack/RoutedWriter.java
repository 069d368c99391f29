package io.helios.stack;

import io.helios.testsupport.PostgresCluster;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * An application that follows its tenant's route: one thread commits, every few milliseconds, one
 * row {@code (writer, n)} to {@code <schema>.ledger} on the database the routing directory names,
 * numbered 1, 2, 3... When a write is refused by the fence (SQLSTATE 25006: "moved to ..." after a
 * cutover) it rolls back, reads the route again, reconnects and writes the same {@code n}: every
 * committed n is on the current primary exactly once, and a refusal is not an error. Records each
 * write's latency as the client sees it (first attempt to commit, refusals included) and every
 * other failure. {@link #stop()} ends it.
 */
final class RoutedWriter implements AutoCloseable {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(RoutedWriter.class);

    private final PostgresCluster cluster;
    private final String schema;
    private final int writer;
    private final Supplier<String> currentDatabase;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicLong committed = new AtomicLong();
    private final List<Double> latenciesMs = new CopyOnWriteArrayList<>();
    private final List<String> refusals = new CopyOnWriteArrayList<>();
    private final List<Throwable> failures = new CopyOnWriteArrayList<>();
    private final Thread thread;

    /** @param currentDatabase reads the routing directory and answers the primary's database name */
    RoutedWriter(PostgresCluster cluster, String schema, int writer, long startAfter, Supplier<String> currentDatabase) {
        this.cluster = cluster;
        this.schema = schema;
        this.writer = writer;
        this.currentDatabase = currentDatabase;
        this.committed.set(startAfter);
        this.thread = new Thread(this::run, "routed-writer-" + writer);
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        Connection c = null;
        long n = committed.get() + 1;
        long firstAttempt = System.nanoTime();
        while (running.get()) {
            try {
                if (c == null) {
                    String db = currentDatabase.get();
                    log.info("writer {}: writing n={} on {}", writer, n, db);
                    c = cluster.connect(db);
                    c.setAutoCommit(false);
                }
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + schema
                        + ".ledger (writer, n, note) VALUES (?, ?, 'routed')")) {
                    ps.setInt(1, writer);
                    ps.setLong(2, n);
                    ps.executeUpdate();
                }
                c.commit();
                latenciesMs.add((System.nanoTime() - firstAttempt) / 1e6);
                committed.set(n);
                n++;
                Thread.sleep(3);
                firstAttempt = System.nanoTime();
            } catch (SQLException e) {
                rollbackQuietly(c);
                if ("25006".equals(e.getSQLState())) {
                    refusals.add(e.getMessage());
                } else {
                    failures.add(e);
                }
                if (refusals.size() + failures.size() < 20) {
                    log.info("writer {}: n={} refused or failed: {} {}", writer, n, e.getSQLState(), e.getMessage());
                }
                closeQuietly(c);
                c = null;
                pauseBriefly();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (RuntimeException e) {
                failures.add(e);
                if (failures.size() < 20) {
                    log.info("writer {}: n={} failed: {}", writer, n, e.toString());
                }
                closeQuietly(c);
                c = null;
                pauseBriefly();
            }
        }
        closeQuietly(c);
    }

    long committed() {
        return committed.get();
    }

    List<Double> latenciesMs() {
        return latenciesMs;
    }

    List<String> refusals() {
        return refusals;
    }

    List<Throwable> failures() {
        return failures;
    }

    /** Stops writing and answers the last n committed. */
    long stop() throws InterruptedException {
        running.set(false);
        thread.join(30_000);
        return committed.get();
    }

    /** p50, p99 and max of the write latencies, in ms. */
    Map<String, Double> latencySummary() {
        List<Double> sorted = latenciesMs.stream().sorted().toList();
        if (sorted.isEmpty()) {
            return Map.of();
        }
        return Map.of("p50", sorted.get(sorted.size() / 2), "p99", sorted.get((int) Math.min(sorted.size() - 1,
                Math.ceil(sorted.size() * 0.99) - 1)), "max", sorted.get(sorted.size() - 1));
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }

    private static void pauseBriefly() {
        try {
            Thread.sleep(5);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void rollbackQuietly(Connection c) {
        try {
            if (c != null) {
                c.rollback();
            }
        } catch (SQLException ignored) {
            // the connection is dropped next
        }
    }

    private static void closeQuietly(Connection c) {
        try {
            if (c != null) {
                c.close();
            }
        } catch (SQLException ignored) {
            // nothing to do
        }
    }
}
