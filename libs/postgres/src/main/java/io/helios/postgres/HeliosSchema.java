package io.helios.postgres;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Serialises changes to schema {@code helios} on one database. Its tables and functions are
 * created idempotently ({@code IF NOT EXISTS}, {@code CREATE OR REPLACE}), but PostgreSQL does not
 * make concurrent idempotent DDL safe: two sessions creating the same table race on the catalog's
 * unique indexes, and two replacing the same function fail with "tuple concurrently updated".
 * That is the normal case when many replications bootstrap onto one target at once.
 *
 * <p>Installers check cheaply whether anything is missing first and call {@link #change} only
 * when something is, so a busy target pays one catalog query, and a copy's long transaction holds
 * the lock only on a target's first install. Stateless.
 */
public final class HeliosSchema {

    /** Advisory lock key of the installers ("helios" as ASCII, shared by every Helios component). */
    private static final long LOCK_KEY = 0x68656c696f73L;

    private HeliosSchema() {
    }

    /** A change to schema {@code helios} that must not run beside another. */
    @FunctionalInterface
    public interface Change {
        void run() throws SQLException;
    }

    /**
     * Runs {@code change} holding the installers' lock until the end of the caller's transaction;
     * on an auto-commit connection, in a transaction of its own that it commits.
     */
    public static void change(Connection c, Change change) throws SQLException {
        atomically(c, () -> {
            try (Statement s = c.createStatement()) {
                s.execute("SELECT pg_advisory_xact_lock(" + LOCK_KEY + ")");
            }
            change.run();
        });
    }

    /**
     * Runs {@code work} in the caller's transaction, or, on an auto-commit connection, in a
     * transaction of its own that it commits (rolled back when {@code work} fails).
     */
    public static void atomically(Connection c, Change work) throws SQLException {
        boolean auto = c.getAutoCommit();
        if (!auto) {
            work.run();
            return;
        }
        c.setAutoCommit(false);
        try {
            work.run();
            c.commit();
        } catch (SQLException | RuntimeException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(true);
        }
    }
}
