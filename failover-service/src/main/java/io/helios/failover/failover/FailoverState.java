package io.helios.failover.failover;

import io.helios.service.web.ApiException;

import java.util.EnumSet;
import java.util.Set;

/**
 * The lifecycle of a failover, persisted so a crash of the acting replica resumes it:
 * <pre>
 * PROMOTING -promoted-> PROMOTED -old primary fenced-> OLD_PRIMARY_FENCED -quarantined-> QUARANTINED
 * PROMOTING -failed-> FAILED
 * </pre>
 * PROMOTING's steps (lease revocation, unfence of the target, routing move) are each idempotent
 * and are run again from the start on resume.
 */
public enum FailoverState {
    PROMOTING, PROMOTED, OLD_PRIMARY_FENCED, QUARANTINED, FAILED;

    /** The moves between states. */
    public enum Move {
        PROMOTED(EnumSet.of(PROMOTING), FailoverState.PROMOTED),
        FENCED(EnumSet.of(FailoverState.PROMOTED), OLD_PRIMARY_FENCED),
        QUARANTINED(EnumSet.of(OLD_PRIMARY_FENCED), FailoverState.QUARANTINED),
        FAIL(EnumSet.of(PROMOTING), FAILED);

        private final Set<FailoverState> from;
        private final FailoverState to;

        Move(Set<FailoverState> from, FailoverState to) {
            this.from = from;
            this.to = to;
        }
    }

    public FailoverState apply(Move move) {
        if (!move.from.contains(this)) {
            throw ApiException.conflict("illegal-transition", "Illegal failover transition",
                    "a failover in state " + this + " cannot move " + move + " (allowed from " + move.from + ")");
        }
        return move.to;
    }

    /** The promotion is done: the target is the tenant's primary. */
    public boolean promoted() {
        return this == PROMOTED || this == OLD_PRIMARY_FENCED || this == QUARANTINED;
    }
}
