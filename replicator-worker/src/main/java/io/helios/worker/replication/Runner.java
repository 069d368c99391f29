package io.helios.worker.replication;

import io.helios.core.lease.ReplicationReport;

/**
 * What the {@link ReplicationSupervisor} drives of one leased replication's runner: start once,
 * stop (which may take a while: the supervisor calls it off the heartbeat thread), and the
 * epoch, phase and report. {@link ReplicationRunner} is the real one; tests use fakes that block
 * at chosen points.
 */
abstract class Runner {

    abstract void start();

    abstract void stop();

    abstract long epoch();

    abstract Phase phase();

    abstract ReplicationReport report();
}
