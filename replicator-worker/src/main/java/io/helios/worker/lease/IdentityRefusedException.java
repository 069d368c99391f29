package io.helios.worker.lease;

/**
 * The control plane refused this worker's credential (401: not a valid token; 403: not this
 * worker's, or not a worker's at all). Retrying with the same credential cannot help: the worker
 * stops with this message, which says what the control plane answered (never the token).
 */
public class IdentityRefusedException extends RuntimeException {

    private final int status;

    public IdentityRefusedException(int status, String message, Throwable cause) {
        super(message, cause);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
