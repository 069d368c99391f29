package io.helios.debezium;

import io.helios.postgres.PgEndpoint;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Properties;

/**
 * The Debezium Embedded configuration of one capture: PostgreSQL connector on an existing
 * {@code pgoutput} slot and publication (neither created nor dropped), no snapshot, transaction
 * metadata and heartbeats on, values in forms that {@link PgText} can turn back into exact
 * PostgreSQL text, and a {@link SeededOffsetStore} that starts the stream at a given LSN.
 *
 * <p>Deliberate choices: {@code binary.handling.mode=bytes} (with {@code hex}, bytea and
 * unknown types would both arrive as unnamed strings, indistinguishable from text);
 * {@code lsn.flush.mode=connector}: only the connector flushes the slot, and only the offsets
 * {@link OffsetTracker} committed, i.e. what the target holds ({@code connector_and_driver} let
 * pgjdbc confirm a keepalive's server position on its own, which can pass transactions still
 * buffered in the worker); the price is that an idle tenant's slot stays at its last applied
 * transaction while other databases write, until its next transaction (the pgoutput engine
 * releases it safely); {@code errors.max.retries=0} so failures reach the worker, which
 * restarts from its checkpoint. Immutable.
 */
final class DebeziumSettings {

    static final String HEARTBEAT_TOPIC_PREFIX = "__debezium-heartbeat";
    static final long HEARTBEAT_MILLIS = 1_000;

    private DebeziumSettings() {
    }

    /** The topic of transaction metadata records (BEGIN/END) for an engine on this slot. */
    static String transactionTopic(String slotName) {
        return slotName + ".transaction";
    }

    static Properties of(PgEndpoint source, String slotName, String publicationName, long seedLsn,
                         String engineName, ToastPlaceholder toast) {
        Properties p = new Properties();
        p.setProperty("name", engineName);
        p.setProperty("connector.class", "io.debezium.connector.postgresql.PostgresConnector");
        p.setProperty("offset.storage", SeededOffsetStore.class.getName());
        p.setProperty(SeededOffsetStore.SEED_LSN, Long.toString(seedLsn));
        p.setProperty("offset.flush.interval.ms", "0");
        // unique per replication: Debezium names its JMX metrics after it, and two engines of one
        // JVM with the same prefix wait for each other's metrics to go away
        p.setProperty("topic.prefix", slotName);
        connection(p, source);
        replication(p, slotName, publicationName);
        values(p, toast);
        return p;
    }

    private static void connection(Properties p, PgEndpoint source) {
        URI uri = URI.create(source.jdbcUrl().substring("jdbc:".length()));
        if (!"postgresql".equals(uri.getScheme()) || uri.getHost() == null) {
            throw new IllegalArgumentException("not a single-host PostgreSQL JDBC URL: " + source.jdbcUrl());
        }
        p.setProperty("database.hostname", uri.getHost());
        p.setProperty("database.port", Integer.toString(uri.getPort() > 0 ? uri.getPort() : 5432));
        p.setProperty("database.dbname", uri.getPath().substring(1));
        p.setProperty("database.user", source.user());
        if (source.password() != null) {
            p.setProperty("database.password", source.password());
        }
        p.setProperty("database.tcpKeepAlive", "true");
        p.setProperty("driver.connectTimeout", Integer.toString(PgEndpoint.CONNECT_TIMEOUT_SECONDS));
        if (uri.getRawQuery() != null) {
            for (String pair : uri.getRawQuery().split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    String key = URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8);
                    String value = URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                    p.setProperty(key.startsWith("ssl") ? "database." + key : "driver." + key, value);
                }
            }
        }
    }

    private static void replication(Properties p, String slotName, String publicationName) {
        p.setProperty("plugin.name", "pgoutput");
        p.setProperty("slot.name", slotName);
        p.setProperty("slot.drop.on.stop", "false");
        p.setProperty("slot.max.retries", "5");
        p.setProperty("slot.retry.delay.ms", "1000");
        p.setProperty("publication.name", publicationName);
        p.setProperty("publication.autocreate.mode", "disabled");
        p.setProperty("snapshot.mode", "no_data");
        p.setProperty("provide.transaction.metadata", "true");
        p.setProperty("heartbeat.interval.ms", Long.toString(HEARTBEAT_MILLIS));
        p.setProperty("lsn.flush.mode", "connector");
        p.setProperty("status.update.interval.ms", "1000");
        p.setProperty("poll.interval.ms", "50");
        p.setProperty("max.batch.size", "4096");
        p.setProperty("max.queue.size", "16384");
        p.setProperty("errors.max.retries", "0");
        p.setProperty("skipped.operations", "none");
        p.setProperty("tombstones.on.delete", "false");
    }

    private static void values(Properties p, ToastPlaceholder toast) {
        p.setProperty("decimal.handling.mode", "string");
        p.setProperty("interval.handling.mode", "string");
        p.setProperty("binary.handling.mode", "bytes");
        p.setProperty("time.precision.mode", "adaptive_time_microseconds");
        p.setProperty("hstore.handling.mode", "map");
        p.setProperty("include.unknown.datatypes", "true");
        p.setProperty("column.propagate.source.type", ".*");
        p.setProperty("unavailable.value.placeholder", toast.text());
    }
}
