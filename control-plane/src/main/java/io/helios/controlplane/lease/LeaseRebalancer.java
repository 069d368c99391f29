package io.helios.controlplane.lease;

import io.helios.controlplane.HeliosProperties;
import io.helios.controlplane.replication.ReplicationLeasing;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Moves leases to a worker below its fair share from workers above it (see {@link LeaseBalance}
 * for which ones): the lease is taken from its holder and granted to the taker under a new,
 * higher epoch, so the former holder's applies are refused by the target's checkpoint from then
 * on; the heartbeat that calls this announces the change, which wakes the former holder to
 * stop its runner. Runs inside the heartbeat transaction with the assignment lock held.
 */
@Component
class LeaseRebalancer {

    private static final Logger log = LoggerFactory.getLogger(LeaseRebalancer.class);

    private final LeaseRepository leases;
    private final ReplicationLeasing replications;
    private final LeaseMetrics metrics;
    private final Duration minDwell;
    private final int maxMoves;

    LeaseRebalancer(LeaseRepository leases, ReplicationLeasing replications, LeaseMetrics metrics,
                    HeliosProperties properties) {
        this.leases = leases;
        this.replications = replications;
        this.metrics = metrics;
        this.minDwell = properties.leases().minDwell();
        this.maxMoves = properties.leases().maxMoves();
    }

    /** Moves up to {@code room} leases (and at most max-moves) to {@code taker}; answers the moved replications. */
    @Transactional(propagation = Propagation.MANDATORY)
    public List<UUID> moveTo(String taker, int room, long fairShare, Instant now, Timestamp expiry) {
        if (room <= 0 || maxMoves <= 0) {
            return List.of();
        }
        Instant cutoff = now.minus(minDwell);
        List<LeaseBalance.Held> held = leases.findAll().stream()
                .map(l -> new LeaseBalance.Held(l.replicationId(), l.workerId(), l.grantedAt(),
                        !l.grantedAt().isAfter(cutoff) && replications.isCopying(l.replicationId())))
                .toList();
        List<UUID> moves = LeaseBalance.toMove(taker, room, fairShare, maxMoves, cutoff, held);
        for (UUID id : moves) {
            String from = held.stream().filter(h -> h.replicationId().equals(id)).findFirst().orElseThrow().workerId();
            leases.release(id);
            long epoch = replications.bumpLeaseEpoch(id);
            leases.grant(id, taker, epoch, Timestamp.from(now), expiry);
            log.info("replication {} moved from worker {} to worker {} at epoch {} (fair share {})", id, from, taker,
                    epoch, fairShare);
        }
        metrics.moved(moves.size());
        return moves;
    }
}
