package io.helios.worker.replication;

import io.helios.core.lease.LeaseGrant;
import io.helios.core.lease.ReplicationReport;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A runner that runs nothing: it records its starts and stops, and its stop can be made to block
 * until the test opens a gate, like a real runner stuck in a copy or a network call.
 */
final class FakeRunner extends Runner {

    /** Every fake made, in order. */
    static final List<FakeRunner> MADE = new CopyOnWriteArrayList<>();

    final String id;
    final long epoch;
    final CountDownLatch stopEntered = new CountDownLatch(1);
    final CountDownLatch stopped = new CountDownLatch(1);
    volatile CountDownLatch gate = new CountDownLatch(0);
    volatile boolean started;
    volatile long startedAfterPreviousStopped = -1;

    FakeRunner(LeaseGrant lease) {
        this.id = lease.spec().replicationId();
        this.epoch = lease.epoch();
    }

    /** A factory of fakes whose stop blocks until {@code gate} opens. */
    static RunnerFactory blockingOn(CountDownLatch gate) {
        return (lease, confirmation) -> {
            FakeRunner r = new FakeRunner(lease);
            r.gate = gate;
            MADE.add(r);
            return r;
        };
    }

    @Override
    void start() {
        started = true;
    }

    @Override
    void stop() {
        stopEntered.countDown();
        try {
            if (!gate.await(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the test never opened the gate");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            stopped.countDown();
        }
    }

    @Override
    long epoch() {
        return epoch;
    }

    @Override
    Phase phase() {
        return Phase.STREAMING;
    }

    @Override
    ReplicationReport report() {
        return new ReplicationReport(id, epoch, "STREAMING", null, 0, 0, 0, 0, 0, 0, null, null);
    }
}
