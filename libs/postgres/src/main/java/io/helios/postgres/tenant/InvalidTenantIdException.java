package io.helios.postgres.tenant;

/**
 * A tenant id that is not a value of its ROW discriminator column's type (for example
 * {@code abc} for an integer column, or a malformed uuid). Nothing could ever match it, so the
 * replication is refused before anything is published, copied or fenced. Not retriable.
 */
public final class InvalidTenantIdException extends IllegalArgumentException {

    public InvalidTenantIdException(String message) {
        super(message);
    }
}
