package io.helios.controlplane.lease;

import org.springframework.data.annotation.Id;

import java.time.Instant;
import java.util.UUID;

/** A replication leased to a worker, with its fencing epoch; renewed by each heartbeat of its holder. */
public record Lease(@Id UUID replicationId, String workerId, long epoch, Instant grantedAt, Instant expiresAt) {
}
