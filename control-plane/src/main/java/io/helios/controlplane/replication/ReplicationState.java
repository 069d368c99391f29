package io.helios.controlplane.replication;

import io.helios.service.web.ApiException;

import java.util.EnumSet;
import java.util.Set;

/**
 * The lifecycle of a replication as an explicit state machine. {@link #apply(Action)} answers
 * the next state or throws a 409 problem for an illegal move:
 * <pre>
 * CREATED -start-> RUNNING -pause-> PAUSED -resume-> RUNNING
 * RUNNING|PAUSED|FAILED -stop-> STOPPED -start-> RUNNING
 * RUNNING|PAUSED -fail (worker report)-> FAILED -start-> RUNNING
 * </pre>
 * Delete is allowed from any state and is not a transition.
 */
public enum ReplicationState {
    CREATED, RUNNING, PAUSED, STOPPED, FAILED;

    /** States in which a replication wants a worker (and holds a lease when one is live). */
    public static final Set<ReplicationState> ACTIVE = EnumSet.of(RUNNING, PAUSED);

    /** What can happen to a replication. */
    public enum Action {
        START(EnumSet.of(CREATED, STOPPED, FAILED), RUNNING),
        PAUSE(EnumSet.of(RUNNING), PAUSED),
        RESUME(EnumSet.of(PAUSED), RUNNING),
        STOP(EnumSet.of(RUNNING, PAUSED, FAILED), STOPPED),
        FAIL(EnumSet.of(RUNNING, PAUSED), FAILED);

        private final Set<ReplicationState> from;
        private final ReplicationState to;

        Action(Set<ReplicationState> from, ReplicationState to) {
            this.from = from;
            this.to = to;
        }

        public String verb() {
            return name().toLowerCase();
        }
    }

    public boolean allows(Action action) {
        return action.from.contains(this);
    }

    public ReplicationState apply(Action action) {
        if (!allows(action)) {
            throw ApiException.conflict("illegal-transition", "Illegal lifecycle transition",
                    "cannot " + action.verb() + " a replication in state " + this + " (allowed from " + action.from + ")");
        }
        return action.to;
    }

    public boolean isActive() {
        return ACTIVE.contains(this);
    }
}
