package io.helios.postgres.slot;

/**
 * Names of the server objects Helios creates per replication on a source: the worker creates
 * them, both capture engines stream from them and the control plane drops them, so all three
 * derive the names here. Pure.
 */
public final class ReplicationNames {

    private ReplicationNames() {
    }

    /** Slot name for a replication id (a UUID): {@code helios_<32 hex>}, within the 63-character limit. */
    public static String slot(String replicationId) {
        return "helios_" + replicationId.replace("-", "").toLowerCase();
    }

    /** Publication name for a replication id. */
    public static String publication(String replicationId) {
        return "helios_" + replicationId.replace("-", "").toLowerCase();
    }
}
