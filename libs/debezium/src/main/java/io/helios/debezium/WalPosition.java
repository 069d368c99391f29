package io.helios.debezium;

import io.helios.core.change.Lsn;
import io.helios.postgres.PgEndpoint;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.TimeUnit;

/**
 * The source's current WAL position ({@code pg_current_wal_lsn()}) for lag reporting, read
 * over a connection of its own at most once a second; the last value read when the source
 * cannot be reached. Debezium does not expose the walsender's keepalive position.
 *
 * <p>Threading: synchronized; meant for the engine's consumer thread. Lifecycle: the
 * connection opens on first use and closes with {@link #close()}.
 */
final class WalPosition implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(WalPosition.class);
    private static final long REFRESH_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final PgEndpoint source;
    private Connection connection;
    private Lsn last = Lsn.ZERO;
    private long readAt;
    private boolean read;

    WalPosition(PgEndpoint source) {
        this.source = source;
    }

    synchronized Lsn current() {
        long now = System.nanoTime();
        if (read && now - readAt < REFRESH_NANOS) {
            return last;
        }
        readAt = now;
        read = true;
        try {
            if (connection == null || connection.isClosed()) {
                connection = source.open();
            }
            last = Lsn.max(last, SourceChecks.currentWal(connection));
        } catch (SQLException e) {
            log.debug("cannot read the WAL position of {}: {}", source, e.getMessage());
            close();
        }
        return last;
    }

    @Override
    public synchronized void close() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // discarded anyway
            }
            connection = null;
        }
    }
}
