package io.helios.failover.policy;

import io.helios.failover.FailoverProperties;
import io.helios.service.security.TenantGuard;
import io.helios.service.web.ApiException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Failover policies: CRUD under the caller's tenant restriction, and the effective policy of a
 * replication for the decision (its own, else its tenant's, else the configured defaults,
 * enabled).
 */
@Service
public class FailoverPolicies {

    private static final Logger log = LoggerFactory.getLogger(FailoverPolicies.class);

    private final FailoverPolicyRepository repository;
    private final TenantGuard guard;
    private final FailoverProperties.Decision defaults;
    private final Clock clock;

    FailoverPolicies(FailoverPolicyRepository repository, TenantGuard guard, FailoverProperties properties, Clock clock) {
        this.repository = repository;
        this.guard = guard;
        this.defaults = properties.decision();
        this.clock = clock;
    }

    /** The policy that governs {@code replicationId} of {@code tenantId}. */
    public Effective effective(String tenantId, UUID replicationId) {
        return repository.findByReplicationId(replicationId)
                .or(() -> repository.findTenantPolicy(tenantId))
                .map(p -> new Effective(p.id(), p.threshold(), p.rpoBound(), p.enabled()))
                .orElseGet(() -> new Effective(null, defaults.defaultThreshold(), defaults.defaultRpoBound(), true));
    }

    FailoverPolicy create(FailoverPolicyRequest r) {
        guard.requireForCreation(r.tenantId());
        Instant now = clock.instant();
        FailoverPolicy p = repository.save(new FailoverPolicy(UUID.randomUUID(), r.name(), r.tenantId(), r.replicationId(),
                orDefault(r.thresholdMs(), defaults.defaultThreshold().toMillis()),
                orDefault(r.rpoBoundMs(), defaults.defaultRpoBound().toMillis()),
                r.enabled() == null || r.enabled(), now, now, null));
        log.info("failover policy {} '{}' created for tenant {}{}", p.id(), p.name(), p.tenantId(),
                p.replicationId() == null ? "" : " replication " + p.replicationId());
        return p;
    }

    FailoverPolicy replace(UUID id, FailoverPolicyRequest r) {
        FailoverPolicy old = get(id);
        guard.requireForCreation(r.tenantId());
        FailoverPolicy p = repository.save(new FailoverPolicy(id, r.name(), r.tenantId(), r.replicationId(),
                orDefault(r.thresholdMs(), defaults.defaultThreshold().toMillis()),
                orDefault(r.rpoBoundMs(), defaults.defaultRpoBound().toMillis()),
                r.enabled() == null || r.enabled(), old.createdAt(), clock.instant(), old.version()));
        log.info("failover policy {} '{}' replaced", id, p.name());
        return p;
    }

    FailoverPolicy get(UUID id) {
        FailoverPolicy p = repository.findById(id).orElseThrow(() -> ApiException.notFound("failover policy", id));
        guard.require(p.tenantId(), () -> ApiException.notFound("failover policy", id));
        return p;
    }

    List<FailoverPolicy> list() {
        return repository.findAllOrdered().stream().filter(p -> guard.visible(p.tenantId())).toList();
    }

    void delete(UUID id) {
        get(id);
        repository.deleteById(id);
        log.info("failover policy {} deleted", id);
    }

    private static long orDefault(Long value, long fallback) {
        return value == null ? fallback : value;
    }

    /** The policy in force: its id (null for the defaults), threshold, RPO bound, whether automatic failover is on. */
    public record Effective(UUID policyId, java.time.Duration threshold, java.time.Duration rpoBound, boolean enabled) {
    }
}
