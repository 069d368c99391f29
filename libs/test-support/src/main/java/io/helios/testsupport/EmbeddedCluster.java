package io.helios.testsupport;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * A PostgreSQL cluster run from the binaries published on Maven Central (io.zonky.test),
 * so nothing but a JDK is needed. Configured for logical replication and commit timestamps.
 * {@link #stopImmediate()} and {@link #restart()} crash and restart it in place (same data
 * directory, port and settings); {@link #close()} stops it whether or not it was restarted.
 */
public final class EmbeddedCluster implements PostgresCluster {

    private final EmbeddedPostgres postgres;
    private PgCtl pgCtl;

    private EmbeddedCluster(EmbeddedPostgres postgres) {
        this.postgres = postgres;
    }

    /**
     * @param dataDirectory where the cluster keeps its files; {@code null} for a temporary one
     * @param port          TCP port, 0 for any free one
     * @param clean         whether to wipe {@code dataDirectory} first (reuse it otherwise)
     */
    public static EmbeddedCluster start(Path dataDirectory, int port, boolean clean) {
        return start(dataDirectory, port, clean, java.util.Map.of());
    }

    /**
     * @param settings server settings over the defaults; tests run with {@code fsync=off}, the
     *                 local stack and the benchmarks pass {@code fsync=on} to measure what
     *                 production would see
     */
    public static EmbeddedCluster start(Path dataDirectory, int port, boolean clean, java.util.Map<String, String> settings) {
        try {
            EmbeddedPostgres.Builder b = EmbeddedPostgres.builder()
                    .setServerConfig("wal_level", "logical")
                    .setServerConfig("max_replication_slots", "64")
                    .setServerConfig("max_wal_senders", "64")
                    .setServerConfig("max_connections", "300")
                    .setServerConfig("track_commit_timestamp", "on")
                    .setServerConfig("fsync", "off")
                    .setServerConfig("synchronous_commit", "on")
                    .setServerConfig("shared_buffers", "256MB")
                    .setServerConfig("max_wal_size", "2GB")
                    .setServerConfig("wal_sender_timeout", "30s")
                    .setPGStartupWait(java.time.Duration.ofSeconds(60));
            settings.forEach(b::setServerConfig);
            if (dataDirectory != null) {
                b.setDataDirectory(dataDirectory).setCleanDataDirectory(clean);
            }
            if (port > 0) {
                b.setPort(port);
            }
            return new EmbeddedCluster(b.start());
        } catch (IOException e) {
            throw new UncheckedIOException("embedded PostgreSQL did not start: " + e.getMessage(), e);
        }
    }

    @Override
    public String host() {
        return "127.0.0.1";
    }

    @Override
    public int port() {
        return postgres.getPort();
    }

    @Override
    public String user() {
        return "postgres";
    }

    @Override
    public String password() {
        return "postgres";
    }

    @Override
    public synchronized void stopImmediate() {
        if (pgCtl == null) {
            pgCtl = PgCtl.of(dataDirectory());
        }
        pgCtl.stopImmediate();
    }

    @Override
    public synchronized void killPostmaster(boolean withChildren) {
        Path data = dataDirectory();
        if (pgCtl == null) {
            pgCtl = PgCtl.of(data);
        }
        long pid;
        try {
            pid = Long.parseLong(java.nio.file.Files.readAllLines(data.resolve("postmaster.pid")).get(0).trim());
        } catch (IOException e) {
            throw new UncheckedIOException("no running postmaster in " + data, e);
        }
        ProcessHandle postmaster = ProcessHandle.of(pid)
                .orElseThrow(() -> new IllegalStateException("postmaster " + pid + " is not running"));
        java.util.List<ProcessHandle> children = postmaster.descendants().toList();
        postmaster.destroyForcibly();
        if (withChildren) {
            children.forEach(ProcessHandle::destroyForcibly);
        }
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
        awaitExit(postmaster, deadline);
        for (ProcessHandle child : children) {
            if (!awaitExit(child, deadline)) {
                child.destroyForcibly();
                awaitExit(child, System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10));
            }
        }
    }

    private static boolean awaitExit(ProcessHandle p, long deadlineNanos) {
        try {
            p.onExit().get(Math.max(0, deadlineNanos - System.nanoTime()), java.util.concurrent.TimeUnit.NANOSECONDS);
            return true;
        } catch (java.util.concurrent.TimeoutException e) {
            return !p.isAlive();
        } catch (java.util.concurrent.ExecutionException e) {
            return !p.isAlive();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !p.isAlive();
        }
    }

    @Override
    public synchronized void restart() {
        if (pgCtl == null) {
            throw new IllegalStateException("the cluster runs: restart() follows stopImmediate() or killPostmaster(boolean)");
        }
        pgCtl.startAgain();
    }

    private Path dataDirectory() {
        try (java.sql.Connection c = connect("postgres"); java.sql.Statement s = c.createStatement();
             java.sql.ResultSet rs = s.executeQuery("SELECT current_setting('data_directory')")) {
            rs.next();
            return Path.of(rs.getString(1));
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException("cannot read the data directory of the cluster on port " + port(), e);
        }
    }

    @Override
    public void close() {
        try {
            postgres.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
