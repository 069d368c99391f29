package io.helios.worker.replication;

import io.helios.postgres.apply.TransactionApplier;
import io.helios.postgres.checkpoint.Checkpoints;
import io.helios.postgres.slot.ReplicationSlots;
import io.helios.postgres.slot.SlotState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * After a clean stop of a stream, moves the target's checkpoint up to where the capture engine
 * left the slot confirmed. An engine confirms past the last applied transaction only over
 * stretches with nothing for the tenant (idle or filtered-out WAL, keepalives), and only when
 * everything it handed out was applied; recording that on the target keeps the next resume's
 * check ({@code confirmed_flush_lsn} past the checkpoint means changes would be skipped) from
 * refusing a replication that lost nothing. Conditional on the epoch (a fenced worker records
 * nothing) and forward only. Best effort: a failure is logged and the next resume decides.
 *
 * <p>Runs on the runner's thread after the engine is closed, bounded by {@link #SETTLE_MILLIS}.
 */
final class IdleRelease {

    private static final Logger log = LoggerFactory.getLogger(IdleRelease.class);
    /** How long the walsender of the closed stream may take to exit and release the slot. */
    private static final long SETTLE_MILLIS = 5_000;

    private IdleRelease() {
    }

    static void record(TransactionApplier applier, String slot, String replicationId, long epoch) {
        try {
            Connection s = applier.sourceSession();
            if (!settled(s, slot)) {
                log.debug("replication {}: slot {} still active after the stop; checkpoint left as it is", replicationId, slot);
                return;
            }
            Optional<SlotState> state = ReplicationSlots.find(s, slot);
            if (state.isEmpty()) {
                return;
            }
            Connection t = applier.targetSession();
            boolean auto = t.getAutoCommit();
            t.setAutoCommit(true);
            try {
                if (Checkpoints.release(t, replicationId, epoch, state.get().confirmedFlush())) {
                    log.info("replication {}: checkpoint moved to {} where the slot was confirmed (nothing to apply)",
                            replicationId, state.get().confirmedFlush());
                }
            } finally {
                t.setAutoCommit(auto);
            }
        } catch (SQLException | RuntimeException e) {
            log.debug("replication {}: checkpoint not moved after the stop: {}", replicationId, e.getMessage());
        }
    }

    /** Waits (bounded) until no walsender holds the slot, so its last confirmation is in. */
    private static boolean settled(Connection s, String slot) throws SQLException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(SETTLE_MILLIS);
        try (PreparedStatement ps = s.prepareStatement(
                "SELECT active FROM pg_replication_slots WHERE slot_name = ? AND database = current_database()")) {
            ps.setString(1, slot);
            while (true) {
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next() || !rs.getBoolean(1)) {
                        return true;
                    }
                }
                if (System.nanoTime() > deadline) {
                    return false;
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
            }
        }
    }
}
