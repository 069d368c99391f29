package io.helios.controlplane.audit;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Appends to and pages through {@code audit_event}; there is no update or delete (the table refuses them,
 * and the service role has no right to). Appends go through {@code audit_append}, which hash-chains them.
 */
@Repository
class AuditRepository {

    private final JdbcClient jdbc;

    AuditRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void append(Instant at, String subject, String method, String path, String targetType, String targetId,
                String tenantId, int status) {
        // the only way in: the function chains the row to the head under the head's lock (V25)
        jdbc.sql("SELECT audit_append(:at, :subject, :method, :path, :type, :target, :tenant, :status)")
                .param("at", Timestamp.from(at)).param("subject", subject).param("method", method).param("path", path)
                .param("type", targetType).param("target", targetId).param("tenant", tenantId).param("status", status)
                .query(Long.class).single();
    }

    AuditPage find(AuditQuery q) {
        List<String> where = new ArrayList<>();
        Map<String, Object> params = new LinkedHashMap<>();
        add(where, params, "subject = :subject", "subject", q.subject());
        add(where, params, "tenant_id = :tenant", "tenant", q.tenantId());
        add(where, params, "target_id = :target", "target", q.targetId());
        add(where, params, "method = :method", "method", q.method() == null ? null : q.method().toUpperCase());
        add(where, params, "occurred_at >= :from", "from", q.from() == null ? null : Timestamp.from(q.from()));
        add(where, params, "occurred_at < :to", "to", q.to() == null ? null : Timestamp.from(q.to()));
        String filter = where.isEmpty() ? "" : " WHERE " + String.join(" AND ", where);
        long total = jdbc.sql("SELECT count(*) FROM audit_event" + filter).params(params).query(Long.class).single();
        List<AuditEvent> items = jdbc.sql("SELECT * FROM audit_event" + filter + " ORDER BY id DESC LIMIT :limit OFFSET :offset")
                .params(params).param("limit", q.size()).param("offset", (long) q.page() * q.size())
                .query((rs, n) -> event(rs)).list();
        return new AuditPage(items, q.page(), q.size(), total);
    }

    static AuditEvent event(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new AuditEvent(rs.getLong("id"), rs.getTimestamp("occurred_at").toInstant(), rs.getString("subject"),
                rs.getString("method"), rs.getString("path"), rs.getString("target_type"), rs.getString("target_id"),
                rs.getString("tenant_id"), rs.getInt("status"));
    }

    private static void add(List<String> where, Map<String, Object> params, String clause, String name, Object value) {
        if (value != null) {
            where.add(clause);
            params.put(name, value);
        }
    }

    /** Filters of the audit query; null means any. */
    record AuditQuery(String subject, String tenantId, String targetId, String method, Instant from, Instant to,
                      int page, int size) {
    }
}
