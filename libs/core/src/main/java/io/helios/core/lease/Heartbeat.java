package io.helios.core.lease;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

import java.util.List;

/**
 * The worker/control-plane lease protocol over REST:
 * {@code POST /api/v1/workers/{workerId}/heartbeat} with a {@link Request} answers a
 * {@link Response} that lists every lease the worker holds after this beat. A lease missing
 * from the answer is lost: the worker stops it at once and reports nothing more for it.
 */
public final class Heartbeat {

    /** Most replications one worker may offer to run. */
    public static final int MAX_CAPACITY = 10_000;
    /** Most reports in one beat (one per leased replication). */
    public static final int MAX_REPORTS = 10_000;

    private Heartbeat() {
    }

    /**
     * @param capacity how many replications the worker is willing to run
     * @param leaving  the worker is shutting down and has stopped its runners: the control plane
     *                 releases every lease it holds at once (and answers none), so other workers
     *                 resume them without waiting for the TTL. Absent or null (older workers) means
     *                 false; boxed so that a body without it still binds.
     */
    public record Request(@Size(max = 500) String address,
                          @Min(0) @Max(MAX_CAPACITY) int capacity,
                          @Size(max = MAX_REPORTS) List<@NotNull @Valid ReplicationReport> reports,
                          Boolean leaving) {

        /** A regular beat: the worker keeps its leases. */
        public Request(String address, int capacity, List<ReplicationReport> reports) {
            this(address, capacity, reports, false);
        }
    }

    /**
     * @param heartbeatIntervalMillis how often the control plane expects the next beat
     * @param leaseTtlMillis          how long the leases stay valid after this beat's request: the
     *                                worker stops applying well before that if it cannot renew
     */
    public record Response(List<LeaseGrant> leases, long heartbeatIntervalMillis, long leaseTtlMillis) {
    }
}
