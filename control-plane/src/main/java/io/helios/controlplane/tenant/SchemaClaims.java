package io.helios.controlplane.tenant;

import io.helios.service.web.ApiException;
import io.helios.core.tenant.Identifiers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The schemas tenants claim on endpoints ({@code tenant_schema}). An exclusive claim excludes
 * every other tenant's claim on that schema; a shared claim excludes only another tenant's
 * exclusive one. A claim is checked and written under a transaction-scoped advisory lock on the
 * (endpoint, schema) pair, so concurrent claims of one schema are decided one after the other.
 * Who may claim what is the caller's business ({@link TenantOwnershipController}). Stateless.
 */
@Service
public class SchemaClaims {

    private static final Logger log = LoggerFactory.getLogger(SchemaClaims.class);

    private final JdbcClient jdbc;
    private final Clock clock;

    SchemaClaims(JdbcClient jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /** Claims of every tenant on the schema of the endpoint. */
    public List<SchemaClaim> on(UUID endpointId, String schema) {
        return jdbc.sql("SELECT * FROM tenant_schema WHERE endpoint_id = ? AND schema_name = ? ORDER BY tenant_id")
                .params(endpointId, schema).query(SchemaClaim.class).list();
    }

    /** Claims of every tenant on any schema of the endpoint. */
    public List<SchemaClaim> onEndpoint(UUID endpointId) {
        return jdbc.sql("SELECT * FROM tenant_schema WHERE endpoint_id = ? ORDER BY schema_name, tenant_id")
                .params(endpointId).query(SchemaClaim.class).list();
    }

    public List<SchemaClaim> ofTenant(String tenantId) {
        return jdbc.sql("SELECT * FROM tenant_schema WHERE tenant_id = ? ORDER BY endpoint_id, schema_name")
                .params(tenantId).query(SchemaClaim.class).list();
    }

    public Optional<SchemaClaim> of(String tenantId, UUID endpointId, String schema) {
        return on(endpointId, schema).stream().filter(c -> c.tenantId().equals(tenantId)).findFirst();
    }

    /** Claims (or re-claims with another mode) the schema for the tenant; 409 when another tenant's claim excludes it. */
    @Transactional
    public SchemaClaim claim(String tenantId, UUID endpointId, String schema, boolean shared) {
        Identifiers.require(schema, "schema");
        jdbc.sql("SELECT pg_advisory_xact_lock(hashtext(?))").param(endpointId + "/" + schema).query().singleRow();
        for (SchemaClaim other : on(endpointId, schema)) {
            if (!other.tenantId().equals(tenantId) && (other.exclusive() || !shared)) {
                throw claimedBy(endpointId, schema, other);
            }
        }
        SchemaClaim claim = new SchemaClaim(tenantId, endpointId, schema, shared, clock.instant());
        jdbc.sql("""
                INSERT INTO tenant_schema (tenant_id, endpoint_id, schema_name, shared, claimed_at) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT (tenant_id, endpoint_id, schema_name) DO UPDATE SET shared = EXCLUDED.shared""")
                .params(tenantId, endpointId, schema, shared, java.sql.Timestamp.from(claim.claimedAt())).update();
        log.info("tenant {} claims schema {} on endpoint {} ({})", tenantId, schema, endpointId,
                shared ? "shared" : "exclusive");
        return claim;
    }

    /** Releases the tenant's claim; 404 when it holds none. */
    @Transactional
    public void release(String tenantId, UUID endpointId, String schema) {
        int deleted = jdbc.sql("DELETE FROM tenant_schema WHERE tenant_id = ? AND endpoint_id = ? AND schema_name = ?")
                .params(tenantId, endpointId, schema).update();
        if (deleted == 0) {
            throw ApiException.notFound("schema claim", tenantId + "/" + endpointId + "/" + schema);
        }
        log.info("tenant {} released schema {} on endpoint {}", tenantId, schema, endpointId);
    }

    /** The refusal when another tenant's claim excludes what is asked. */
    public static ApiException claimedBy(UUID endpointId, String schema, SchemaClaim other) {
        return ApiException.conflict("schema-claimed", "Schema claimed by another tenant", "schema '" + schema
                + "' on endpoint '" + endpointId + "' is claimed " + (other.shared() ? "as shared " : "")
                + "by tenant '" + other.tenantId() + "'");
    }
}
