package io.helios.controlplane.walguard;

import io.helios.controlplane.maintenance.SourceSlots;
import io.helios.controlplane.replication.ReplicationState;

/**
 * What the WAL guard makes of one slot reading: the alert level, and whether the slot must go.
 * Pure; thresholds in bytes.
 *
 * <ul>
 *   <li>{@code wal_status = lost}: the server removed WAL the slot still needed, so the replication
 *       cannot stream on without a gap; a RUNNING, PAUSED or FAILED replication is failed and
 *       its slot dropped ({@link Action#DROP_LOST}).</li>
 *   <li>retained past {@code max}: LIMIT; a PAUSED or FAILED replication's slot is dropped
 *       ({@link Action#DROP_LIMIT}) when dropping is enabled. A RUNNING one is only alerted on:
 *       it is consuming, and dropping its slot would cost a copy for what may be a burst.</li>
 *   <li>retained past {@code warn}, or {@code wal_status = unreserved}: WARN.</li>
 * </ul>
 */
record WalPolicy(long warnBytes, long maxBytes, boolean dropSlots) {

    enum Level { NONE, WARN, LIMIT }

    enum Action { NONE, DROP_LIMIT, DROP_LOST }

    record Verdict(Level level, Action action, long threshold) {
    }

    Verdict judge(ReplicationState state, SourceSlots.Slot slot) {
        if (slot == null) {
            return new Verdict(Level.NONE, Action.NONE, 0);
        }
        boolean holdsWal = state == ReplicationState.RUNNING || state == ReplicationState.PAUSED
                || state == ReplicationState.FAILED;
        if ("lost".equals(slot.walStatus())) {
            return new Verdict(Level.LIMIT, holdsWal ? Action.DROP_LOST : Action.NONE, maxBytes);
        }
        long retained = slot.retainedBytes() == null ? 0 : slot.retainedBytes();
        if (retained >= maxBytes) {
            boolean drop = dropSlots && (state == ReplicationState.PAUSED || state == ReplicationState.FAILED);
            return new Verdict(Level.LIMIT, drop ? Action.DROP_LIMIT : Action.NONE, maxBytes);
        }
        if (retained >= warnBytes || "unreserved".equals(slot.walStatus())) {
            return new Verdict(Level.WARN, Action.NONE, warnBytes);
        }
        return new Verdict(Level.NONE, Action.NONE, 0);
    }
}
