package io.helios.postgres.checkpoint;

import io.helios.core.change.Lsn;

import java.time.Instant;

/** Where a replication stands on its target: everything up to {@code lsn} is applied, under {@code leaseEpoch}. */
public record Checkpoint(String replicationId, Lsn lsn, long leaseEpoch, Instant sourceCommitTime) {
}
