package io.helios.core.apply;

/** What the applier does when the target disagrees with a change (row exists on insert, missing on update/delete). */
public enum ConflictStrategy {
    /** Stop the replication with a clear error: the replica diverged. The default. */
    ERROR,
    /** The source wins: insert becomes upsert, a missing row on update is inserted when the change is complete, missing deletes are ignored. */
    SOURCE_WINS,
    /** The target wins: conflicting changes are skipped and counted. */
    KEEP_TARGET
}
