package io.helios.pgoutput;

import io.helios.core.capture.CaptureException;
import io.helios.postgres.error.RetryClassifier;

/**
 * Wraps stream failures in a {@link CaptureException} whose verdict is the shared
 * {@link RetryClassifier}'s: the connection or the server went away, or the slot is still held
 * by an exiting walsender, is retriable; a missing slot or publication, authentication,
 * privileges and protocol errors, which reconnecting will not cure, are not.
 */
final class CaptureErrors {

    private CaptureErrors() {
    }

    static CaptureException classify(String what, Throwable failure) {
        return new CaptureException(what + ": " + failure.getMessage(), failure, RetryClassifier.retriable(failure));
    }
}
