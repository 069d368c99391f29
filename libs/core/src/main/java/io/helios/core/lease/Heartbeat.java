package io.helios.core.lease;

import java.util.List;

/**
 * The worker/control-plane lease protocol over REST:
 * {@code POST /api/v1/workers/{workerId}/heartbeat} with a {@link Request} answers a
 * {@link Response} that lists every lease the worker holds after this beat. A lease missing
 * from the answer is lost: the worker stops it at once and reports nothing more for it.
 */
public final class Heartbeat {

    private Heartbeat() {
    }

    /** @param capacity how many replications the worker is willing to run */
    public record Request(String address, int capacity, List<ReplicationReport> reports) {
    }

    /** @param heartbeatIntervalMillis how often the control plane expects the next beat */
    public record Response(List<LeaseGrant> leases, long heartbeatIntervalMillis, long leaseTtlMillis) {
    }
}
