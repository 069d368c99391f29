package io.helios.controlplane.tenant;

import io.helios.controlplane.endpoint.EndpointService;
import io.helios.controlplane.web.ApiException;
import io.helios.core.tenant.Identifiers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/** Declares, changes and removes tenants; a change of primary endpoint bumps the routing epoch. */
@Service
public class TenantService {

    private static final Logger log = LoggerFactory.getLogger(TenantService.class);

    private final TenantRepository tenants;
    private final EndpointService endpoints;
    private final JdbcClient jdbc;
    private final Clock clock;

    public TenantService(TenantRepository tenants, EndpointService endpoints, JdbcClient jdbc, Clock clock) {
        this.tenants = tenants;
        this.endpoints = endpoints;
        this.jdbc = jdbc;
        this.clock = clock;
    }

    @Transactional
    public Tenant create(TenantRequest request) {
        if (!Identifiers.isValidTenantId(request.id())) {
            throw ApiException.invalid("id", "'" + request.id() + "' is not a valid tenant id (letters, digits, _, . and -,"
                    + " starting with a letter or digit, at most 63)");
        }
        if (tenants.existsById(request.id())) {
            throw ApiException.conflict("duplicate-name", "Duplicate tenant", "id: tenant '" + request.id() + "' already exists");
        }
        requireEndpoint(request.primaryEndpointId());
        Tenant saved = tenants.save(new Tenant(request.id(), request.name(), request.primaryEndpointId(), 1,
                clock.instant(), null));
        log.info("declared tenant {}", saved.id());
        return saved;
    }

    @Transactional
    public Tenant update(String id, TenantRequest request) {
        Tenant current = get(id);
        requireEndpoint(request.primaryEndpointId());
        boolean moved = !Objects.equals(current.primaryEndpointId(), request.primaryEndpointId());
        long epoch = moved ? current.routingEpoch() + 1 : current.routingEpoch();
        Tenant saved = tenants.save(new Tenant(id, request.name(), request.primaryEndpointId(), epoch,
                current.createdAt(), current.version()));
        if (moved) {
            log.info("tenant {} primary endpoint is now {} (routing epoch {})", id, request.primaryEndpointId(), epoch);
        }
        return saved;
    }

    @Transactional
    public void delete(String id) {
        get(id);
        Integer uses = jdbc.sql("SELECT count(*) FROM replication WHERE tenant_id = :id").param("id", id)
                .query(Integer.class).single();
        if (uses > 0) {
            throw ApiException.conflict("tenant-in-use", "Tenant in use", "tenant '" + id + "' has " + uses
                    + " replication(s); delete them first");
        }
        tenants.deleteById(id);
        log.info("removed tenant {}", id);
    }

    public Tenant get(String id) {
        return tenants.findById(id).orElseThrow(() -> ApiException.notFound("tenant", id));
    }

    public boolean exists(String id) {
        return tenants.existsById(id);
    }

    public List<Tenant> list() {
        return tenants.findAll();
    }

    private void requireEndpoint(UUID endpointId) {
        if (endpointId != null && !endpoints.exists(endpointId)) {
            throw ApiException.unknownReference("primaryEndpointId", endpointId);
        }
    }
}
