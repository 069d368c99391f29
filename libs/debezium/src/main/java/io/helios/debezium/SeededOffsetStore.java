package io.helios.debezium;

import org.apache.kafka.connect.json.JsonConverter;
import org.apache.kafka.connect.runtime.WorkerConfig;
import org.apache.kafka.connect.storage.MemoryOffsetBackingStore;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An in-memory offset store that starts with one offset: the PostgreSQL connector's
 * {@code {"lsn": <seed>}} for this engine's partition, so that the connector streams from
 * the given LSN (never from the current WAL end). Only {@code lsn} is seeded, without
 * {@code lsn_proc}/{@code lsn_commit}, so Debezium neither searches the WAL for a resume point
 * nor filters anything: the server starts at {@code max(seed, slot's confirmed_flush_lsn)}.
 *
 * <p>Debezium instantiates it by class name; the seed rides in the engine properties
 * ({@value #SEED_LSN}), next to {@code name} and {@code topic.prefix}, which name the
 * partition exactly as Kafka Connect's {@code OffsetStorageWriter} does. Offsets the engine
 * commits later live in memory only: Helios keeps its own checkpoint on the target.
 * Threading: as {@link MemoryOffsetBackingStore} (its own single-thread executor).
 */
public final class SeededOffsetStore extends MemoryOffsetBackingStore {

    /** Engine property holding the LSN (as a decimal long) to start from. */
    public static final String SEED_LSN = "helios.offset.seed.lsn";

    private String engineName;
    private String topicPrefix;
    private Long seed;

    @Override
    public void configure(WorkerConfig config) {
        super.configure(config);
        Map<String, String> props = config.originalsStrings();
        engineName = props.get("name");
        topicPrefix = props.get("topic.prefix");
        String lsn = props.get(SEED_LSN);
        seed = lsn == null ? null : Long.valueOf(lsn);
    }

    @Override
    public synchronized void start() {
        super.start();
        if (seed != null && seed != 0) {
            data.put(key(engineName, topicPrefix), value(seed));
        }
    }

    @Override
    public Set<Map<String, Object>> connectorPartitions(String connectorName) {
        return Set.of();
    }

    static ByteBuffer key(String engineName, String topicPrefix) {
        JsonConverter c = converter(true);
        return ByteBuffer.wrap(c.fromConnectData("", null, List.of(engineName, Map.of("server", topicPrefix))));
    }

    static ByteBuffer value(long lsn) {
        JsonConverter c = converter(false);
        return ByteBuffer.wrap(c.fromConnectData("", null, Map.of("lsn", lsn)));
    }

    private static JsonConverter converter(boolean forKey) {
        JsonConverter c = new JsonConverter();
        c.configure(Map.of("schemas.enable", "false"), forKey);
        return c;
    }
}
