package io.helios.controlplane.tenant;

import io.helios.service.web.ApiException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import java.time.Clock;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Shared endpoints granted to tenants ({@code tenant_endpoint}): the allow-list that lets a
 * tenant-restricted caller use an endpoint its tenant does not own. Only unrestricted admins
 * change it (the access table says so). Stateless.
 */
@Service
public class EndpointGrants {

    private static final Logger log = LoggerFactory.getLogger(EndpointGrants.class);

    private final JdbcClient jdbc;
    private final Clock clock;

    EndpointGrants(JdbcClient jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    public boolean isGranted(String tenantId, UUID endpointId) {
        return jdbc.sql("SELECT count(*) FROM tenant_endpoint WHERE tenant_id = ? AND endpoint_id = ?")
                .params(tenantId, endpointId).query(Long.class).single() > 0;
    }

    public List<EndpointGrant> ofTenant(String tenantId) {
        return jdbc.sql("SELECT * FROM tenant_endpoint WHERE tenant_id = ? ORDER BY granted_at, endpoint_id")
                .params(tenantId).query(EndpointGrant.class).list();
    }

    Set<UUID> endpointsOf(Set<String> tenantIds) {
        Set<UUID> ids = new HashSet<>();
        for (String t : tenantIds) {
            ofTenant(t).forEach(g -> ids.add(g.endpointId()));
        }
        return ids;
    }

    /** Grants the endpoint to the tenant; granting it again changes nothing. */
    @Transactional
    public EndpointGrant grant(String tenantId, UUID endpointId) {
        Instant now = clock.instant();
        jdbc.sql("INSERT INTO tenant_endpoint (tenant_id, endpoint_id, granted_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING")
                .params(tenantId, endpointId, java.sql.Timestamp.from(now)).update();
        log.info("endpoint {} granted to tenant {}", endpointId, tenantId);
        return ofTenant(tenantId).stream().filter(g -> g.endpointId().equals(endpointId)).findFirst()
                .orElseThrow(() -> ApiException.notFound("endpoint grant", tenantId + "/" + endpointId));
    }

    @Transactional
    public void revoke(String tenantId, UUID endpointId) {
        int deleted = jdbc.sql("DELETE FROM tenant_endpoint WHERE tenant_id = ? AND endpoint_id = ?")
                .params(tenantId, endpointId).update();
        if (deleted == 0) {
            throw ApiException.notFound("endpoint grant", tenantId + "/" + endpointId);
        }
        log.info("endpoint {} no longer granted to tenant {}", endpointId, tenantId);
    }
}
