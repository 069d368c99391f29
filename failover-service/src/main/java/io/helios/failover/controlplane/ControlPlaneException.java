package io.helios.failover.controlplane;

/** The control plane refused a call (its status and problem type) or did not answer (status 503, no type). */
public class ControlPlaneException extends RuntimeException {

    private final int status;
    private final String type;

    public ControlPlaneException(int status, String type, String message) {
        super(message);
        this.status = status;
        this.type = type;
    }

    public int status() {
        return status;
    }

    /** The last segment of the problem type, e.g. {@code stale-routing-epoch}; null when none. */
    public String type() {
        return type;
    }
}
