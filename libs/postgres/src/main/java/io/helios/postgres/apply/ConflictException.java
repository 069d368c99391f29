package io.helios.postgres.apply;

/** The target disagrees with a change (row already there, or missing) under conflict strategy ERROR. */
public class ConflictException extends RuntimeException {

    public ConflictException(String message) {
        super(message);
    }

    public ConflictException(String message, Throwable cause) {
        super(message, cause);
    }
}
