package io.helios.migration.migration;

import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.json.JsonMapper;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * The {@code migration} table and its event outbox. Writes by the driver are conditional on the
 * caller's lease ({@code lease_owner} and an unexpired {@code lease_until}, read on the database's
 * clock): a replica that lost a migration to another one changes nothing more. A phase change and
 * its event are one transaction. Thread-safe.
 */
@Repository
public class MigrationRepository {

    private static final String ACTIVE = "phase NOT IN ('DONE', 'ABORTED', 'FAILED')";

    private final JdbcClient jdbc;
    private final JsonMapper json;

    MigrationRepository(JdbcClient jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    @Transactional
    public void insert(Migration m) {
        jdbc.sql("""
                INSERT INTO migration (id, tenant_id, source_endpoint_id, target_endpoint_id, target_schema, tenancy_model,
                  source_schema, discriminator_column, cutover_mode, max_write_pause_ms, max_lag_for_cutover_ms,
                  keep_reverse, cleanup_source, phase, phase_since, created_at, updated_at)
                VALUES (:id, :tenant, :source, :target, :targetSchema, :model, :sourceSchema, :discriminator, :mode,
                  :pause, :lag, :keepReverse, :cleanup, 'PLANNED', now(), now(), now())""")
                .param("id", m.id()).param("tenant", m.tenantId()).param("source", m.sourceEndpointId())
                .param("target", m.targetEndpointId()).param("targetSchema", m.targetSchema())
                .param("model", m.tenancyModel()).param("sourceSchema", m.sourceSchema())
                .param("discriminator", m.discriminatorColumn()).param("mode", m.cutoverMode().name())
                .param("pause", m.maxWritePauseMs()).param("lag", m.maxLagForCutoverMs())
                .param("keepReverse", m.keepReverse()).param("cleanup", m.cleanupSource())
                .update();
        event(m.id(), m.tenantId(), MigrationPhase.PLANNED, null, Map.of());
    }

    public Optional<Migration> find(UUID id) {
        return jdbc.sql("SELECT * FROM migration WHERE id = :id").param("id", id).query(MAPPER).optional();
    }

    public List<Migration> listAfter(UUID after, int limit) {
        return jdbc.sql("SELECT * FROM migration WHERE (CAST(:after AS uuid) IS NULL OR id > CAST(:after AS uuid))"
                        + " ORDER BY id LIMIT :limit")
                .param("after", after).param("limit", limit).query(MAPPER).list();
    }

    public Optional<Migration> activeOfTenant(String tenantId) {
        return jdbc.sql("SELECT * FROM migration WHERE tenant_id = :t AND " + ACTIVE).param("t", tenantId)
                .query(MAPPER).optional();
    }

    /**
     * Takes (or renews) the lease of up to {@code limit} active migrations that nobody else holds,
     * skipping rows another replica is locking at this moment; answers their ids.
     */
    @Transactional
    public List<UUID> claim(String owner, Duration ttl, int limit) {
        return jdbc.sql("UPDATE migration SET lease_owner = :owner, lease_until = now() + make_interval(secs => :ttl)"
                        + " WHERE id IN (SELECT id FROM migration WHERE " + ACTIVE
                        + "   AND (lease_owner = :owner OR lease_until IS NULL OR lease_until < now())"
                        + "   ORDER BY created_at LIMIT :limit FOR UPDATE SKIP LOCKED) RETURNING id")
                .param("owner", owner).param("ttl", ttl.toMillis() / 1000.0).param("limit", limit)
                .query(UUID.class).list();
    }

    /** Gives a lease back (orderly shutdown), so another replica need not wait for it to expire. */
    public void release(String owner) {
        jdbc.sql("UPDATE migration SET lease_owner = NULL, lease_until = NULL WHERE lease_owner = :owner")
                .param("owner", owner).update();
    }

    /**
     * Moves the migration from {@code from} to {@code to} and sets {@code fields} (column to value), with
     * its event, when the caller still holds its lease and the phase is still {@code from}.
     *
     * @return false when another replica or request got there first (nothing changed)
     */
    @Transactional
    public boolean transition(Migration m, String owner, MigrationPhase to, Map<String, Object> fields) {
        if (!m.phase().canMoveTo(to)) {
            throw new IllegalStateException("migration " + m.id() + ": illegal move " + m.phase() + " -> " + to);
        }
        Map<String, Object> all = new LinkedHashMap<>(fields);
        all.put("phase", to.name());
        int n = update(m.id(), owner, "phase = '" + m.phase().name() + "'", all, true);
        if (n == 1) {
            event(m.id(), m.tenantId(), to, m.phase(), fields);
        }
        return n == 1;
    }

    /** Sets columns while the caller holds the lease; false when it lost it. */
    public boolean set(UUID id, String owner, Map<String, Object> fields) {
        return update(id, owner, "TRUE", fields, false) == 1;
    }

    private int update(UUID id, String owner, String condition, Map<String, Object> fields, boolean phaseChange) {
        String sets = fields.keySet().stream().map(k -> k + " = :" + k).collect(Collectors.joining(", "));
        JdbcClient.StatementSpec spec = jdbc.sql("UPDATE migration SET " + sets + ", updated_at = now()"
                        + (phaseChange ? ", phase_since = now()" : "")
                        + " WHERE id = :id AND lease_owner = :owner AND lease_until > now() AND " + condition)
                .param("id", id).param("owner", owner);
        for (Map.Entry<String, Object> e : fields.entrySet()) {
            spec = spec.param(e.getKey(), e.getValue() instanceof Enum<?> en ? en.name() : e.getValue());
        }
        return spec.update();
    }

    /** Records an operator's request (cutover, abort, rollback, complete) when the phase allows it. */
    public boolean request(UUID id, String flag, List<MigrationPhase> allowedPhases) {
        String phases = allowedPhases.stream().map(p -> "'" + p.name() + "'").collect(Collectors.joining(", "));
        return jdbc.sql("UPDATE migration SET " + flag + " = true, updated_at = now() WHERE id = :id AND phase IN ("
                + phases + ")").param("id", id).update() == 1;
    }

    private void event(UUID id, String tenantId, MigrationPhase phase, MigrationPhase previous, Map<String, Object> fields) {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("type", "migration." + phase.name().toLowerCase());
        payload.put("migrationId", id.toString());
        payload.put("tenantId", tenantId);
        payload.put("phase", phase.name());
        payload.put("previousPhase", previous == null ? null : previous.name());
        for (String k : List.of("write_pause_ms", "final_lsn", "outcome", "last_error", "routing_epoch")) {
            if (fields.containsKey(k)) {
                payload.put(k, fields.get(k));
            }
        }
        payload.put("at", Instant.now().toString());
        jdbc.sql("INSERT INTO migration_event (routing_key, payload, created_at) VALUES (:key, :payload, now())")
                .param("key", "migration." + phase.name().toLowerCase())
                .param("payload", json.writeValueAsString(payload)).update();
    }

    /** Unpublished events in order, at most {@code limit}. */
    public List<PendingEvent> unpublished(int limit) {
        return jdbc.sql("SELECT seq, routing_key, payload FROM migration_event WHERE published_at IS NULL ORDER BY seq LIMIT :n")
                .param("n", limit)
                .query((rs, i) -> new PendingEvent(rs.getLong(1), rs.getString(2), rs.getString(3))).list();
    }

    public void published(long seq) {
        jdbc.sql("UPDATE migration_event SET published_at = now() WHERE seq = :seq").param("seq", seq).update();
    }

    /** An event of the outbox. */
    public record PendingEvent(long seq, String routingKey, String payload) {
    }

    private static final RowMapper<Migration> MAPPER = MigrationRepository::map;

    private static Migration map(ResultSet rs, int row) throws SQLException {
        return new Migration(rs.getObject("id", UUID.class), rs.getString("tenant_id"),
                rs.getObject("source_endpoint_id", UUID.class), rs.getObject("target_endpoint_id", UUID.class),
                rs.getString("target_schema"), rs.getString("tenancy_model"), rs.getString("source_schema"),
                rs.getString("discriminator_column"), Migration.CutoverMode.valueOf(rs.getString("cutover_mode")),
                rs.getInt("max_write_pause_ms"), rs.getLong("max_lag_for_cutover_ms"), rs.getBoolean("keep_reverse"),
                rs.getBoolean("cleanup_source"), MigrationPhase.valueOf(rs.getString("phase")),
                Migration.Direction.valueOf(rs.getString("direction")), rs.getString("outcome"),
                rs.getObject("replication_id", UUID.class), rs.getBoolean("replication_reused"),
                rs.getObject("reverse_replication_id", UUID.class), (Long) rs.getObject("routing_epoch"),
                rs.getBoolean("cutover_requested"), rs.getBoolean("abort_requested"),
                rs.getBoolean("rollback_requested"), rs.getBoolean("complete_requested"), rs.getLong("rows_copied"),
                (Long) rs.getObject("bytes_copied"), (Integer) rs.getObject("percent"),
                (Long) rs.getObject("eta_seconds"), (Double) rs.getObject("lag_ms"),
                (Double) rs.getObject("write_pause_ms"), rs.getInt("cutover_attempts"), rs.getString("final_lsn"),
                rs.getString("last_error"), instant(rs, "phase_since"), instant(rs, "created_at"),
                instant(rs, "updated_at"));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp t = rs.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }
}
