package io.helios.failover.failover;

import org.springframework.data.annotation.Id;
import org.springframework.data.annotation.Version;
import org.springframework.data.relational.core.mapping.Table;

import java.time.Instant;
import java.util.UUID;

/**
 * One failover of a tenant from a replication's source (the old primary) to its target. Saved
 * with optimistic locking: two replicas racing on one failover cannot both move it.
 */
@Table("failover")
public record Failover(@Id UUID id, String tenantId, UUID replicationId, UUID oldPrimaryId, UUID newPrimaryId,
                       String newPrimaryRegion, String trigger, FailoverState state, String reason, String lastAppliedLsn,
                       Long leaseEpoch, Long routingEpoch, String error, Instant startedAt, Instant promotedAt,
                       Instant fencedAt, Instant quarantinedAt, Integer quarantinedCount, UUID failbackReplicationId,
                       Instant updatedAt, @Version Long version) {

    Failover promotedAs(String lsn, long lease, long routing, String region, Instant at) {
        return new Failover(id, tenantId, replicationId, oldPrimaryId, newPrimaryId, region, trigger,
                state.apply(FailoverState.Move.PROMOTED), reason, lsn, lease, routing, null, startedAt, at, fencedAt,
                quarantinedAt, quarantinedCount, failbackReplicationId, at, version);
    }

    Failover withLease(String lsn, long lease, Instant at) {
        return new Failover(id, tenantId, replicationId, oldPrimaryId, newPrimaryId, newPrimaryRegion, trigger, state,
                reason, lsn, lease, routingEpoch, error, startedAt, promotedAt, fencedAt, quarantinedAt, quarantinedCount,
                failbackReplicationId, at, version);
    }

    Failover failed(String why, Instant at) {
        return new Failover(id, tenantId, replicationId, oldPrimaryId, newPrimaryId, newPrimaryRegion, trigger,
                state.apply(FailoverState.Move.FAIL), reason, lastAppliedLsn, leaseEpoch, routingEpoch, why, startedAt,
                promotedAt, fencedAt, quarantinedAt, quarantinedCount, failbackReplicationId, at, version);
    }

    Failover fenced(Instant at) {
        return new Failover(id, tenantId, replicationId, oldPrimaryId, newPrimaryId, newPrimaryRegion, trigger,
                state.apply(FailoverState.Move.FENCED), reason, lastAppliedLsn, leaseEpoch, routingEpoch, error, startedAt,
                promotedAt, at, quarantinedAt, quarantinedCount, failbackReplicationId, at, version);
    }

    Failover quarantined(int count, Instant at) {
        return new Failover(id, tenantId, replicationId, oldPrimaryId, newPrimaryId, newPrimaryRegion, trigger,
                state.apply(FailoverState.Move.QUARANTINED), reason, lastAppliedLsn, leaseEpoch, routingEpoch, error,
                startedAt, promotedAt, fencedAt, at, count, failbackReplicationId, at, version);
    }

    Failover withError(String why, Instant at) {
        return new Failover(id, tenantId, replicationId, oldPrimaryId, newPrimaryId, newPrimaryRegion, trigger, state,
                reason, lastAppliedLsn, leaseEpoch, routingEpoch, why, startedAt, promotedAt, fencedAt, quarantinedAt,
                quarantinedCount, failbackReplicationId, at, version);
    }

    Failover withFailback(UUID replication, Instant at) {
        return new Failover(id, tenantId, replicationId, oldPrimaryId, newPrimaryId, newPrimaryRegion, trigger, state,
                reason, lastAppliedLsn, leaseEpoch, routingEpoch, error, startedAt, promotedAt, fencedAt, quarantinedAt,
                quarantinedCount, replication, at, version);
    }

    /** The error an application still writing on the old primary gets. */
    String fenceReason() {
        return "tenant " + tenantId + " failed over to " + (newPrimaryRegion == null ? newPrimaryId : newPrimaryRegion)
                + ", routing epoch " + routingEpoch;
    }
}
