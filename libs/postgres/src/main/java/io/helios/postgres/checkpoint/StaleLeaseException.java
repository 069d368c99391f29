package io.helios.postgres.checkpoint;

/** A newer lease epoch holds the replication's checkpoint: this worker must stop applying. */
public class StaleLeaseException extends RuntimeException {

    public StaleLeaseException(String replicationId, long epoch) {
        super("replication " + replicationId + ": lease epoch " + epoch + " is stale, a newer lease holds the checkpoint");
    }
}
