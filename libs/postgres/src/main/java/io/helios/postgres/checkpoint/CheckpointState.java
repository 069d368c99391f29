package io.helios.postgres.checkpoint;

/**
 * What a row of {@code helios.replication_checkpoint} says about its replication, stored as the
 * enum's name in column {@code state}.
 */
public enum CheckpointState {

    /** The row's {@code lsn} is where the target stands: a worker of the row's epoch or newer resumes there. */
    READY,

    /** An initial copy was claimed at the row's epoch and has not committed yet ({@code lsn} is null). */
    COPYING,

    /**
     * The replication was stopped or deleted (or its slot dropped): the target's data cannot be
     * continued, the next worker copies afresh ({@code lsn} is null). The epoch was bumped so every
     * older worker is refused.
     */
    NEEDS_COPY
}
