package io.helios.controlplane.replication;

import io.helios.controlplane.endpoint.EndpointService;
import io.helios.controlplane.qos.QosPolicyService;
import io.helios.controlplane.tenant.TenantService;
import io.helios.service.web.ApiException;
import io.helios.core.apply.ConflictStrategy;
import io.helios.core.tenant.TableFilter;
import io.helios.core.tenant.TableGlob;
import io.helios.core.tenant.TenantScope;
import org.springframework.data.domain.Limit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * Declares and changes replications after validating them at the edge: identifiers and globs,
 * source differing from target, every reference, and the tenant's boundaries
 * ({@link TenantBoundaries}). Creation is one transaction: a refused
 * request leaves nothing behind. Lifecycle moves live in {@link ReplicationLifecycle}.
 */
@Service
public class ReplicationService {

    private static final Logger log = LoggerFactory.getLogger(ReplicationService.class);

    private final ReplicationRepository replications;
    private final TenantService tenants;
    private final EndpointService endpoints;
    private final QosPolicyService policies;
    private final TenantBoundaries boundaries;
    private final Clock clock;

    ReplicationService(ReplicationRepository replications, TenantService tenants, EndpointService endpoints,
                       QosPolicyService policies, TenantBoundaries boundaries, Clock clock) {
        this.replications = replications;
        this.tenants = tenants;
        this.endpoints = endpoints;
        this.policies = policies;
        this.boundaries = boundaries;
        this.clock = clock;
    }

    @Transactional
    public Replication create(ReplicationRequest request) {
        TenantScope scope = validate(request);
        Instant now = clock.instant();
        Replication saved = replications.save(toReplication(UUID.randomUUID(), request, scope, ReplicationState.CREATED,
                0, now, now, null));
        log.info("declared replication {} of tenant {} ({} -> {})", saved.id(), saved.tenantId(),
                saved.sourceEndpointId(), saved.targetEndpointId());
        return saved;
    }

    @Transactional
    public Replication update(UUID id, ReplicationRequest request) {
        Replication current = get(id);
        if (current.state() != ReplicationState.CREATED && current.state() != ReplicationState.STOPPED) {
            throw ApiException.conflict("illegal-transition", "Replication is live",
                    "a replication in state " + current.state() + " cannot be changed; stop it first");
        }
        TenantScope scope = validate(request);
        return replications.save(toReplication(id, request, scope, current.state(), current.leaseEpoch(),
                current.createdAt(), clock.instant(), current.version()));
    }

    public Replication get(UUID id) {
        return find(id).orElseThrow(() -> ApiException.notFound("replication", id));
    }

    public Optional<Replication> find(UUID id) {
        return replications.findById(id);
    }

    /** The tenant's replications, oldest first. */
    public List<Replication> ofTenant(String tenantId) {
        return replications.findByTenantIdOrderByCreatedAt(tenantId);
    }

    public List<Replication> list() {
        return replications.findAll();
    }

    /** At most {@code limit} in id order, after {@code after} (null: from the first). */
    public List<Replication> listAfter(UUID after, int limit) {
        return after == null ? replications.findAllByOrderByIdAsc(Limit.of(limit))
                : replications.findByIdGreaterThanOrderByIdAsc(after, Limit.of(limit));
    }

    private TenantScope validate(ReplicationRequest r) {
        if (Objects.equals(r.sourceEndpointId(), r.targetEndpointId())) {
            throw ApiException.invalid("targetEndpointId", "must differ from sourceEndpointId");
        }
        validateGlobs("includeTables", r.includeTables());
        validateGlobs("excludeTables", r.excludeTables());
        TenantScope scope = scope(r);
        if (!tenants.exists(r.tenantId())) {
            throw ApiException.unknownReference("tenantId", r.tenantId());
        }
        // before the endpoints' existence: a restricted caller must not tell a missing endpoint from another's
        boundaries.requireWithinCallerReach(r, scope);
        requireEndpoint("sourceEndpointId", r.sourceEndpointId());
        requireEndpoint("targetEndpointId", r.targetEndpointId());
        boundaries.requireTargetFree(r, scope);
        if (r.qosPolicyId() != null && !policies.exists(r.qosPolicyId())) {
            throw ApiException.unknownReference("qosPolicyId", r.qosPolicyId());
        }
        return scope;
    }

    private static TenantScope scope(ReplicationRequest r) {
        try {
            return new TenantScope(r.tenantId(), r.tenancyModel(), r.sourceSchema(), r.targetSchema(),
                    r.discriminatorColumn(), TableFilter.ALL);
        } catch (IllegalArgumentException e) {
            throw ApiException.invalid(fieldOf(e.getMessage()), e.getMessage());
        }
    }

    private static String fieldOf(String message) {
        if (message.startsWith("source schema")) {
            return "sourceSchema";
        }
        return message.startsWith("target schema") ? "targetSchema" : "discriminatorColumn";
    }

    private static void validateGlobs(String field, List<String> globs) {
        if (globs == null) {
            return;
        }
        for (int i = 0; i < globs.size(); i++) {
            try {
                TableGlob.parse(globs.get(i));
            } catch (IllegalArgumentException e) {
                throw ApiException.invalid(field + "[" + i + "]", e.getMessage());
            }
        }
    }

    private void requireEndpoint(String field, UUID id) {
        if (!endpoints.exists(id)) {
            throw ApiException.unknownReference(field, id);
        }
    }

    private static Replication toReplication(UUID id, ReplicationRequest r, TenantScope scope, ReplicationState state,
                                             long epoch, Instant createdAt, Instant updatedAt, Long version) {
        boolean database = r.tenancyModel() == io.helios.core.tenant.TenancyModel.DATABASE;
        return new Replication(id, r.tenantId(), r.sourceEndpointId(), r.targetEndpointId(), r.tenancyModel(),
                database ? null : scope.sourceSchema(), database ? null : scope.targetSchema(),
                scope.discriminatorColumn(), Replication.join(r.includeTables()), Replication.join(r.excludeTables()),
                r.lagTargetMs(), r.qosPolicyId(),
                r.conflictStrategy() == null ? ConflictStrategy.ERROR : r.conflictStrategy(),
                state, epoch, createdAt, updatedAt, version);
    }
}
