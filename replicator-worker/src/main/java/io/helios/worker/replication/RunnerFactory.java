package io.helios.worker.replication;

import io.helios.core.lease.LeaseGrant;

/** Makes the runner of a granted lease; the supervisor starts it. */
@FunctionalInterface
interface RunnerFactory {

    Runner create(LeaseGrant lease, LeaseConfirmation leases);
}
