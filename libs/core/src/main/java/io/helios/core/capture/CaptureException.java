package io.helios.core.capture;

/** The capture stream failed; {@link #retriable()} says whether reconnecting may help. */
public class CaptureException extends RuntimeException {

    private final boolean retriable;

    public CaptureException(String message, Throwable cause, boolean retriable) {
        super(message, cause);
        this.retriable = retriable;
    }

    public boolean retriable() {
        return retriable;
    }
}
