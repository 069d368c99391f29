package io.helios.controlplane.tenant;

import io.helios.controlplane.endpoint.EndpointService;
import io.helios.service.web.ApiException;
import io.helios.core.tenant.Identifiers;
import org.springframework.data.domain.Limit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/** Declares, changes and removes tenants; a change of primary endpoint bumps the routing epoch. */
@Service
public class TenantService {

    private static final Logger log = LoggerFactory.getLogger(TenantService.class);

    private final TenantRepository tenants;
    private final EndpointService endpoints;
    private final List<TenantUsers> users;
    private final Clock clock;

    public TenantService(TenantRepository tenants, EndpointService endpoints, List<TenantUsers> users, Clock clock) {
        this.tenants = tenants;
        this.endpoints = endpoints;
        this.users = users;
        this.clock = clock;
    }

    /** Refuses (400) a missing or malformed tenant id, before anything else looks at it. */
    static void requireValidId(String id) {
        if (id == null || id.isBlank()) {
            throw ApiException.invalid("id", "is required when a tenant is declared");
        }
        if (!Identifiers.isValidTenantId(id)) {
            throw ApiException.invalid("id", "'" + id + "' is not a valid tenant id (letters, digits, _, . and -,"
                    + " starting with a letter or digit, at most 63)");
        }
    }

    @Transactional
    public Tenant create(TenantRequest request) {
        requireValidId(request.id());
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

    /**
     * Moves the tenant's primary to {@code primary} if its routing epoch is still
     * {@code expectedEpoch}; answers the tenant as moved (epoch one higher). 409 when another
     * move came first, 404 for an unknown tenant or endpoint. In the caller's transaction.
     */
    @Transactional
    public Tenant move(String id, UUID primary, long expectedEpoch) {
        Tenant current = get(id);
        if (primary == null) {
            throw ApiException.invalid("primaryEndpointId", "is required");
        }
        requireEndpoint(primary);
        if (current.routingEpoch() != expectedEpoch || tenants.moveIfAt(id, primary, expectedEpoch) == 0) {
            throw ApiException.conflict("stale-routing-epoch", "Stale routing epoch", "tenant '" + id
                    + "' is at routing epoch " + get(id).routingEpoch() + ", not " + expectedEpoch
                    + ": another move came first; read the route again");
        }
        Tenant moved = get(id);
        log.info("tenant {} moved to endpoint {} (routing epoch {} -> {})", id, primary, expectedEpoch,
                moved.routingEpoch());
        return moved;
    }

    @Transactional
    public void delete(String id) {
        get(id);
        List<String> uses = users.stream().map(u -> u.usesOfTenant(id)).flatMap(Optional::stream).toList();
        if (!uses.isEmpty()) {
            throw ApiException.conflict("tenant-in-use", "Tenant in use", "tenant '" + id + "' has "
                    + String.join(" and ", uses) + "; delete them first");
        }
        // a concurrent delete may have won since get(id): then this one deleted nothing, and says so (404).
        // A replication created concurrently makes the foreign key refuse the delete (409, ProblemHandler).
        if (tenants.deleteIfPresent(id) == 0) {
            throw ApiException.notFound("tenant", id);
        }
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

    /** At most {@code limit} in id order, after {@code after} (null: from the first). */
    public List<Tenant> listAfter(String after, int limit) {
        return after == null ? tenants.findAllByOrderByIdAsc(Limit.of(limit))
                : tenants.findByIdGreaterThanOrderByIdAsc(after, Limit.of(limit));
    }

    private void requireEndpoint(UUID endpointId) {
        if (endpointId != null && !endpoints.exists(endpointId)) {
            throw ApiException.unknownReference("primaryEndpointId", endpointId);
        }
    }
}
