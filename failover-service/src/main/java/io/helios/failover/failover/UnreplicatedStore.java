package io.helios.failover.failover;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.json.JsonMapper;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The quarantine: transactions an old primary committed that its replica never applied, kept per
 * failover until an operator marks each REPLAYED or DISCARDED. Storing is idempotent per
 * (failover, xid), so a quarantine interrupted by a crash is simply run again.
 */
@Repository
class UnreplicatedStore {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final JdbcClient jdbc;

    UnreplicatedStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Transactional
    int store(UUID failoverId, List<LostTransaction> lost) {
        int n = 0;
        for (LostTransaction t : lost) {
            n += jdbc.sql("INSERT INTO unreplicated_transaction (id, failover_id, xid, commit_lsn, commit_time, changes, state)"
                            + " VALUES (:id, :f, :xid, :lsn, :t, CAST(:changes AS jsonb), 'PENDING')"
                            + " ON CONFLICT (failover_id, xid) DO NOTHING")
                    .param("id", UUID.randomUUID()).param("f", failoverId).param("xid", t.xid())
                    .param("lsn", t.commitLsn()).param("t", t.commitTime() == null ? null : Timestamp.from(t.commitTime()))
                    .param("changes", JSON.writeValueAsString(t.changes())).update();
        }
        return n;
    }

    List<UnreplicatedView> list(UUID failoverId) {
        return jdbc.sql("SELECT id, xid, commit_lsn, commit_time, changes::text, state, decided_by, decided_at"
                        + " FROM unreplicated_transaction WHERE failover_id = :f ORDER BY commit_lsn::pg_lsn, xid")
                .param("f", failoverId).query((rs, i) -> new UnreplicatedView(rs.getObject(1, UUID.class), rs.getLong(2),
                        rs.getString(3), instant(rs.getTimestamp(4)), changes(rs.getString(5)), rs.getString(6),
                        rs.getString(7), instant(rs.getTimestamp(8)))).list();
    }

    /** Marks a PENDING transaction; answers false when it is not PENDING (or not there). */
    @Transactional
    boolean decide(UUID failoverId, UUID txId, String state, String by, Instant at) {
        return jdbc.sql("UPDATE unreplicated_transaction SET state = :s, decided_by = :by, decided_at = :at"
                        + " WHERE failover_id = :f AND id = :id AND state = 'PENDING'")
                .param("s", state).param("by", by).param("at", Timestamp.from(at)).param("f", failoverId).param("id", txId)
                .update() == 1;
    }

    Optional<String> stateOf(UUID failoverId, UUID txId) {
        return jdbc.sql("SELECT state FROM unreplicated_transaction WHERE failover_id = :f AND id = :id")
                .param("f", failoverId).param("id", txId).query(String.class).optional();
    }

    @SuppressWarnings("unchecked")
    private static List<java.util.Map<String, Object>> changes(String json) {
        return JSON.readValue(json, List.class);
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }
}
