package io.helios.testsupport;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * A running PostgreSQL cluster with {@code wal_level=logical}, reachable over TCP with a
 * superuser. Tests take a database of their own with {@link #createDatabase(String)}.
 */
public interface PostgresCluster extends AutoCloseable {

    String host();

    int port();

    String user();

    String password();

    default String jdbcUrl(String database) {
        return "jdbc:postgresql://" + host() + ":" + port() + "/" + database;
    }

    default Connection connect(String database) throws SQLException {
        return DriverManager.getConnection(jdbcUrl(database), user(), password());
    }

    /** Creates (after dropping any leftover of the same name) an empty database and returns its name. */
    default String createDatabase(String name) {
        try (Connection c = connect("postgres"); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS \"" + name + "\" WITH (FORCE)");
            s.execute("CREATE DATABASE \"" + name + "\"");
            return name;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create database " + name + ": " + e.getMessage(), e);
        }
    }

    /** Drops a database, first terminating its sessions and dropping its replication slots. */
    default void dropDatabase(String name) {
        try (Connection c = connect("postgres"); Statement s = c.createStatement()) {
            s.execute("SELECT pg_terminate_backend(active_pid) FROM pg_replication_slots WHERE database = '"
                    + name.replace("'", "''") + "' AND active_pid IS NOT NULL");
            s.execute("SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE database = '"
                    + name.replace("'", "''") + "' AND NOT active");
            s.execute("DROP DATABASE IF EXISTS \"" + name + "\" WITH (FORCE)");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot drop database " + name + ": " + e.getMessage(), e);
        }
    }

    /**
     * Crashes the cluster the way a power cut would look to its clients: {@code pg_ctl stop -m
     * immediate} (every server process quits without a checkpoint; the next start replays the
     * WAL). Returns once the postmaster is gone. Clusters that cannot be restarted in place
     * (containers: their mapped port changes) throw {@link UnsupportedOperationException}.
     */
    default void stopImmediate() {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " cannot be stopped and restarted in place");
    }

    /**
     * Crashes the cluster harder than {@link #stopImmediate()}: SIGKILL of the postmaster, as an OOM
     * kill would; its children notice and quit on their own (a walsender may still ship what it has),
     * those that do not within a bound are killed too, so that a restart finds no shared memory in
     * use. With {@code withChildren} every server process is SIGKILLed at once, as when the host
     * dies: nothing more leaves the server. Returns once all are gone; {@link #restart()} starts it
     * again. Clusters that cannot do this throw {@link UnsupportedOperationException}.
     */
    default void killPostmaster(boolean withChildren) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " cannot be killed and restarted in place");
    }

    /**
     * Starts a cluster stopped by {@link #stopImmediate()} (or {@link #killPostmaster(boolean)}) again on the same data directory, port
     * and settings (crash recovery runs first); returns once it accepts connections.
     */
    default void restart() {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " cannot be stopped and restarted in place");
    }

    @Override
    void close();
}
