package io.helios.controlplane.sweeper;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.UUID;

/**
 * The sweeper's table {@code orphan_sighting}: each orphan with the time it was first seen, kept
 * across restarts so that a restart never resets a grace period.
 */
@Repository
class OrphanStore {

    /** One orphaned slot or publication on one endpoint. */
    record Sighting(UUID endpointId, String kind, String name, boolean active, Instant firstSeenAt, Instant lastSeenAt) {
    }

    private final JdbcClient jdbc;

    OrphanStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Records a sighting now; keeps the first-seen time of one seen before. Answers the stored sighting. */
    Sighting seen(UUID endpointId, String kind, String name, boolean active, Instant now) {
        return jdbc.sql("""
                INSERT INTO orphan_sighting (endpoint_id, kind, name, active, first_seen_at, last_seen_at)
                VALUES (:endpoint, :kind, :name, :active, :now, :now)
                ON CONFLICT (endpoint_id, kind, name) DO UPDATE SET active = EXCLUDED.active,
                    last_seen_at = EXCLUDED.last_seen_at
                RETURNING endpoint_id, kind, name, active, first_seen_at, last_seen_at
                """).param("endpoint", endpointId).param("kind", kind).param("name", name).param("active", active)
                .param("now", Timestamp.from(now)).query(OrphanStore::row).single();
    }

    /** Forgets the endpoint's sightings of one kind that are not in {@code stillOrphaned} (owned again, or gone). */
    void keepOnly(UUID endpointId, String kind, Collection<String> stillOrphaned) {
        if (stillOrphaned.isEmpty()) {
            jdbc.sql("DELETE FROM orphan_sighting WHERE endpoint_id = :endpoint AND kind = :kind")
                    .param("endpoint", endpointId).param("kind", kind).update();
            return;
        }
        jdbc.sql("DELETE FROM orphan_sighting WHERE endpoint_id = :endpoint AND kind = :kind AND name NOT IN (:names)")
                .param("endpoint", endpointId).param("kind", kind).param("names", List.copyOf(stillOrphaned))
                .update();
    }

    void forget(UUID endpointId, String kind, String name) {
        jdbc.sql("DELETE FROM orphan_sighting WHERE endpoint_id = :endpoint AND kind = :kind AND name = :name")
                .param("endpoint", endpointId).param("kind", kind).param("name", name).update();
    }

    List<Sighting> all() {
        return jdbc.sql("SELECT endpoint_id, kind, name, active, first_seen_at, last_seen_at FROM orphan_sighting"
                + " ORDER BY first_seen_at, endpoint_id, kind, name").query(OrphanStore::row).list();
    }

    long count(String kind) {
        return jdbc.sql("SELECT count(*) FROM orphan_sighting WHERE kind = :kind").param("kind", kind)
                .query(Long.class).single();
    }

    private static Sighting row(ResultSet rs, int n) throws SQLException {
        return new Sighting(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3), rs.getBoolean(4),
                rs.getTimestamp(5).toInstant(), rs.getTimestamp(6).toInstant());
    }
}
