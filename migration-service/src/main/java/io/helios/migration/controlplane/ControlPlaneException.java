package io.helios.migration.controlplane;

/**
 * A call to the control plane failed: {@code status} is its HTTP status (0 when it did not
 * answer within the bound). The message carries the problem detail, never the token.
 */
public class ControlPlaneException extends RuntimeException {

    private final int status;
    private final String problemType;

    public ControlPlaneException(int status, String problemType, String message, Throwable cause) {
        super(message, cause);
        this.status = status;
        this.problemType = problemType;
    }

    public int status() {
        return status;
    }

    /** The last segment of the problem's type URI ({@code stale-routing-epoch}), or null. */
    public String problemType() {
        return problemType;
    }

    public boolean notFound() {
        return status == 404;
    }

    public boolean staleEpoch() {
        return status == 409 && "stale-routing-epoch".equals(problemType);
    }
}
