package io.helios.pgoutput;

import io.helios.core.capture.CaptureException;

import java.io.IOException;
import java.sql.SQLException;

/**
 * Sorts stream failures into retriable (the connection or the server went away, the slot is
 * still held by an exiting walsender) and permanent ones (missing slot or publication,
 * authentication, privileges, protocol errors), which reconnecting will not cure.
 */
final class CaptureErrors {

    private CaptureErrors() {
    }

    static CaptureException classify(String what, Throwable failure) {
        return new CaptureException(what + ": " + failure.getMessage(), failure, retriable(failure));
    }

    static boolean retriable(Throwable failure) {
        if (failure instanceof SQLException sql) {
            return retriableState(sql.getSQLState()) || failure.getCause() instanceof IOException;
        }
        return failure instanceof IOException;
    }

    private static boolean retriableState(String state) {
        if (state == null) {
            return true;
        }
        return state.startsWith("08")        // connection exceptions
                || state.startsWith("53")    // insufficient resources (too many walsenders)
                || state.startsWith("57")    // operator intervention: shutdown, terminated backend
                || state.startsWith("40")    // transaction rollback
                || state.equals("55006");    // slot still active for a walsender that is going away
    }
}
