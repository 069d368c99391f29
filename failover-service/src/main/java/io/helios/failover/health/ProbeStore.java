package io.helios.failover.health;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.UUID;

/**
 * Probe history and the observers' current views in the shared failover database: every replica
 * writes its own observation row per endpoint, and the decision reads all of them. An observation's
 * {@code since} is when its current reachability began (kept while it does not change).
 */
@Repository
public class ProbeStore {

    private final JdbcClient jdbc;

    public ProbeStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Transactional
    public void record(ProbeResult r) {
        jdbc.sql("INSERT INTO probe_result (endpoint_id, observer_id, at, reachable, writable, latency_ms, error)"
                        + " VALUES (:e, :o, :at, :r, :w, :l, :err)")
                .param("e", r.endpointId()).param("o", r.observerId()).param("at", Timestamp.from(r.at()))
                .param("r", r.reachable()).param("w", r.writable()).param("l", r.latencyMs()).param("err", r.error())
                .update();
        // reachable for the decision means healthy: answering and writable
        jdbc.sql("INSERT INTO observation AS o (endpoint_id, observer_id, reachable, since, observed_at, last_error)"
                        + " VALUES (:e, :o, :r, :at, :at, :err)"
                        + " ON CONFLICT (endpoint_id, observer_id) DO UPDATE SET"
                        + " since = CASE WHEN o.reachable = EXCLUDED.reachable THEN o.since ELSE EXCLUDED.since END,"
                        + " reachable = EXCLUDED.reachable, observed_at = EXCLUDED.observed_at, last_error = EXCLUDED.last_error")
                .param("e", r.endpointId()).param("o", r.observerId()).param("r", r.healthy())
                .param("at", Timestamp.from(r.at())).param("err", r.error())
                .update();
    }

    /** Every observer's current view of the endpoints. */
    public List<Observation> observations(Collection<UUID> endpointIds) {
        if (endpointIds.isEmpty()) {
            return List.of();
        }
        return jdbc.sql("SELECT endpoint_id, observer_id, reachable, since, observed_at, last_error FROM observation"
                        + " WHERE endpoint_id IN (:ids) ORDER BY endpoint_id, observer_id")
                .param("ids", endpointIds).query(ProbeStore::observation).list();
    }

    public List<ProbeResult> history(UUID endpointId, int limit) {
        return jdbc.sql("SELECT endpoint_id, observer_id, at, reachable, writable, latency_ms, error FROM probe_result"
                        + " WHERE endpoint_id = :e ORDER BY at DESC, id DESC LIMIT :n")
                .param("e", endpointId).param("n", limit)
                .query((rs, i) -> new ProbeResult(rs.getObject(1, UUID.class), rs.getString(2), rs.getTimestamp(3).toInstant(),
                        rs.getBoolean(4), rs.getBoolean(5), rs.getDouble(6), rs.getString(7))).list();
    }

    @Transactional
    public int prune(Instant before) {
        return jdbc.sql("DELETE FROM probe_result WHERE at < :t").param("t", Timestamp.from(before)).update();
    }

    private static Observation observation(ResultSet rs, int row) throws SQLException {
        return new Observation(rs.getObject(1, UUID.class), rs.getString(2), rs.getBoolean(3), rs.getTimestamp(4).toInstant(),
                rs.getTimestamp(5).toInstant(), rs.getString(6));
    }
}
