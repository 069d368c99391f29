package io.helios.controlplane.lease;

import io.helios.controlplane.endpoint.Endpoint;
import io.helios.controlplane.endpoint.EndpointService;
import io.helios.controlplane.qos.QosPolicy;
import io.helios.controlplane.qos.QosPolicyService;
import io.helios.controlplane.qos.QosTier;
import io.helios.controlplane.replication.Replication;
import io.helios.controlplane.replication.ReplicationService;
import io.helios.controlplane.secret.EndpointSecrets;
import io.helios.core.lease.EndpointSpec;
import io.helios.core.lease.LeaseGrant;
import io.helios.core.lease.ReplicationSpec;
import org.springframework.stereotype.Component;

import java.util.Optional;
import java.util.UUID;

/**
 * Turns a lease into the {@link LeaseGrant} a worker receives: the replication's full spec
 * with both endpoints (passwords still sealed, base64), the epoch, desired state and expiry.
 */
@Component
class SpecAssembler {

    static final long DEFAULT_LAG_TARGET_MS = 5_000;
    static final int DEFAULT_PRIORITY = 128;

    private final ReplicationService replications;
    private final EndpointService endpoints;
    private final QosPolicyService policies;

    SpecAssembler(ReplicationService replications, EndpointService endpoints, QosPolicyService policies) {
        this.replications = replications;
        this.endpoints = endpoints;
        this.policies = policies;
    }

    Optional<LeaseGrant> grantOf(Lease lease) {
        return replications.find(lease.replicationId())
                .filter(r -> r.state().isActive())
                .map(r -> new LeaseGrant(spec(r), lease.epoch(), r.state().name(), lease.expiresAt().toEpochMilli()));
    }

    private ReplicationSpec spec(Replication r) {
        Optional<QosPolicy> qos = Optional.ofNullable(r.qosPolicyId()).flatMap(policies::find);
        long lagTarget = r.lagTargetMs() != null ? r.lagTargetMs()
                : qos.map(QosPolicy::maxLagMs).orElse(DEFAULT_LAG_TARGET_MS);
        int batchRows = qos.map(QosPolicy::tier).orElse(QosTier.STANDARD).maxBatchRows();
        int priority = qos.map(QosPolicy::priority).orElse(DEFAULT_PRIORITY);
        return new ReplicationSpec(r.id().toString(), r.tenantId(), endpoint(r.sourceEndpointId()),
                endpoint(r.targetEndpointId()), r.tenancyModel(), r.sourceSchema(), r.targetSchema(),
                r.discriminatorColumn(), r.includeList(), r.excludeList(), r.conflictStrategy(), lagTarget, batchRows,
                priority);
    }

    private EndpointSpec endpoint(UUID id) {
        Endpoint e = endpoints.find(id).orElseThrow(() -> new IllegalStateException("endpoint " + id + " vanished"));
        return new EndpointSpec(e.id().toString(), e.name(), e.region(), e.jdbcUrl(), e.username(),
                EndpointSecrets.toBase64(e.sealedPassword()));
    }
}
