package io.helios.worker.replication;

/** Where one replication stands on this worker, as reported to the control plane. */
public enum Phase {
    STARTING, COPYING, STREAMING, PAUSED, FAILED, STOPPED
}
