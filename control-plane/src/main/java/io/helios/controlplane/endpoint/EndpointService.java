package io.helios.controlplane.endpoint;

import io.helios.controlplane.secret.EndpointSecrets;
import io.helios.service.web.ApiException;
import io.helios.postgres.PgEndpoint;
import org.springframework.data.domain.Limit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import java.time.Clock;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Registers, changes and removes endpoints: checks reachability before storing, seals the
 * password, refuses to remove an endpoint that one of the {@link EndpointUsers} still uses, and
 * gives other features a {@link PgEndpoint} with the password opened.
 */
@Service
public class EndpointService {

    private static final Logger log = LoggerFactory.getLogger(EndpointService.class);

    private final EndpointRepository endpoints;
    private final EndpointSecrets secrets;
    private final ConnectionProbe probe;
    private final List<EndpointUsers> users;
    private final EndpointOwners owners;
    private final Clock clock;

    public EndpointService(EndpointRepository endpoints, EndpointSecrets secrets, ConnectionProbe probe,
                           List<EndpointUsers> users, EndpointOwners owners, Clock clock) {
        this.endpoints = endpoints;
        this.secrets = secrets;
        this.probe = probe;
        this.users = users;
        this.owners = owners;
        this.clock = clock;
    }

    /**
     * Not one transaction on purpose: the reachability check may take up to the check timeout and
     * must not hold a database connection; the single insert is atomic and the unique name
     * constraint catches a concurrent duplicate (409).
     */
    public Endpoint create(EndpointRequest request) {
        if (endpoints.existsByName(request.name())) {
            throw duplicateName(request.name());
        }
        JdbcUrlPolicy.check(request.jdbcUrl());
        requireOwner(request.ownerTenantId());
        probe.check(request.jdbcUrl(), request.username(), request.password());
        UUID id = UUID.randomUUID();
        byte[] sealed = request.password() == null ? null : secrets.seal(id, request.password());
        Endpoint saved = endpoints.save(new Endpoint(id, request.name(), request.region(), request.jdbcUrl(),
                request.username(), sealed, request.ownerTenantId(), clock.instant(), null));
        log.info("registered endpoint {}", saved);
        return saved;
    }

    /**
     * Checks before writing, like {@link #create}; {@code @Version} refuses a concurrent change (409).
     * The stored password is reused only when host, port, database and user stay the same
     * ({@link JdbcUrlPolicy#requirePasswordOnMove}).
     */
    public Endpoint update(UUID id, EndpointRequest request) {
        Endpoint current = get(id);
        if (!current.name().equals(request.name()) && endpoints.existsByName(request.name())) {
            throw duplicateName(request.name());
        }
        JdbcUrlPolicy.check(request.jdbcUrl());
        JdbcUrlPolicy.requirePasswordOnMove(current.jdbcUrl(), current.username(), request.jdbcUrl(),
                request.username(), request.password(), current.sealedPassword() != null);
        requireOwner(request.ownerTenantId());
        String password = request.password() != null ? request.password() : openPassword(current);
        probe.check(request.jdbcUrl(), request.username(), password);
        byte[] sealed = request.password() != null ? secrets.seal(id, request.password()) : current.sealedPassword();
        Endpoint saved = endpoints.save(new Endpoint(id, request.name(), request.region(), request.jdbcUrl(),
                request.username(), sealed, request.ownerTenantId(), current.createdAt(), current.version()));
        log.info("changed endpoint {}", saved);
        return saved;
    }

    /**
     * Endpoints the given tenants own or use: as owner, as declared primary, as a granted shared
     * endpoint, or as source or target of one of their replications.
     */
    public Set<UUID> usedByTenants(Set<String> tenantIds) {
        if (tenantIds.isEmpty()) {
            return Set.of();
        }
        Set<UUID> used = new HashSet<>();
        endpoints.findByOwnerTenantIdIn(tenantIds).forEach(e -> used.add(e.id()));
        users.forEach(u -> used.addAll(u.endpointsOfTenants(tenantIds)));
        return used;
    }

    @Transactional
    public void delete(UUID id) {
        get(id);
        List<String> uses = users.stream().map(u -> u.usesOfEndpoint(id)).flatMap(Optional::stream).toList();
        if (!uses.isEmpty()) {
            throw ApiException.conflict("endpoint-in-use", "Endpoint in use", "endpoint '" + id + "' is "
                    + String.join(" and ", uses));
        }
        endpoints.deleteById(id);
        log.info("removed endpoint {}", id);
    }

    public Endpoint get(UUID id) {
        return find(id).orElseThrow(() -> ApiException.notFound("endpoint", id));
    }

    public Optional<Endpoint> find(UUID id) {
        return endpoints.findById(id);
    }

    public boolean exists(UUID id) {
        return endpoints.existsById(id);
    }

    /** How many endpoints the tenant owns. */
    public long countOwnedBy(String tenantId) {
        return endpoints.countByOwnerTenantId(tenantId);
    }

    public List<Endpoint> list() {
        return endpoints.findAll();
    }

    /** At most {@code limit} in id order, after {@code after} (null: from the first). */
    public List<Endpoint> listAfter(UUID after, int limit) {
        return after == null ? endpoints.findAllByOrderByIdAsc(Limit.of(limit))
                : endpoints.findByIdGreaterThanOrderByIdAsc(after, Limit.of(limit));
    }

    /** Connection details with the password opened, for the control plane's own connections. */
    public PgEndpoint connectionOf(UUID id) {
        Endpoint e = get(id);
        return new PgEndpoint(e.jdbcUrl(), e.username(), openPassword(e));
    }

    String openPassword(Endpoint e) {
        return e.sealedPassword() == null ? null : secrets.open(e.id(), e.sealedPassword());
    }

    private void requireOwner(String tenantId) {
        if (tenantId != null && !owners.tenantExists(tenantId)) {
            throw ApiException.unknownReference("ownerTenantId", tenantId);
        }
    }

    private static ApiException duplicateName(String name) {
        return ApiException.conflict("duplicate-name", "Duplicate name", "name: an endpoint named '" + name
                + "' already exists");
    }
}
