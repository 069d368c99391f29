package io.helios.controlplane.qos;

import io.helios.service.web.ApiException;
import org.springframework.data.domain.Limit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Defines, changes and removes QoS policies. */
@Service
public class QosPolicyService {

    private static final Logger log = LoggerFactory.getLogger(QosPolicyService.class);

    private final QosPolicyRepository policies;
    private final List<QosPolicyUsers> users;
    private final Clock clock;

    public QosPolicyService(QosPolicyRepository policies, List<QosPolicyUsers> users, Clock clock) {
        this.policies = policies;
        this.users = users;
        this.clock = clock;
    }

    @Transactional
    public QosPolicy create(QosPolicyRequest r) {
        if (policies.existsByName(r.name())) {
            throw duplicateName(r.name());
        }
        QosPolicy saved = policies.save(new QosPolicy(UUID.randomUUID(), r.name(), r.tier(), r.maxLagMs(), r.compression(),
                r.priority(), clock.instant(), null));
        log.info("defined QoS policy {} ({})", saved.name(), saved.id());
        return saved;
    }

    @Transactional
    public QosPolicy update(UUID id, QosPolicyRequest r) {
        QosPolicy current = get(id);
        if (!current.name().equals(r.name()) && policies.existsByName(r.name())) {
            throw duplicateName(r.name());
        }
        return policies.save(new QosPolicy(id, r.name(), r.tier(), r.maxLagMs(), r.compression(), r.priority(),
                current.createdAt(), current.version()));
    }

    @Transactional
    public void delete(UUID id) {
        get(id);
        List<String> uses = users.stream().map(u -> u.usesOfPolicy(id)).flatMap(Optional::stream).toList();
        if (!uses.isEmpty()) {
            throw ApiException.conflict("qos-policy-in-use", "QoS policy in use", "QoS policy '" + id + "' is used by "
                    + String.join(" and ", uses));
        }
        policies.deleteById(id);
    }

    public QosPolicy get(UUID id) {
        return find(id).orElseThrow(() -> ApiException.notFound("QoS policy", id));
    }

    public Optional<QosPolicy> find(UUID id) {
        return policies.findById(id);
    }

    public boolean exists(UUID id) {
        return policies.existsById(id);
    }

    public List<QosPolicy> list() {
        return policies.findAll();
    }

    /** At most {@code limit} in id order, after {@code after} (null: from the first). */
    public List<QosPolicy> listAfter(UUID after, int limit) {
        return after == null ? policies.findAllByOrderByIdAsc(Limit.of(limit))
                : policies.findByIdGreaterThanOrderByIdAsc(after, Limit.of(limit));
    }

    private static ApiException duplicateName(String name) {
        return ApiException.conflict("duplicate-name", "Duplicate name", "name: a QoS policy named '" + name
                + "' already exists");
    }
}
