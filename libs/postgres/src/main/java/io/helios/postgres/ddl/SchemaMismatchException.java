package io.helios.postgres.ddl;

/** A source schema change the applier cannot follow automatically; the replication must stop, never skip data. */
public class SchemaMismatchException extends RuntimeException {

    public SchemaMismatchException(String message) {
        super(message);
    }
}
