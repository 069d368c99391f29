package io.helios.controlplane.lease;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The arithmetic of spreading leases over live workers, apart from storage so it can be tested
 * alone. A worker's fair share is {@code ceil(active / live workers)}. A worker below its share
 * (and below its capacity) first takes unleased replications; if it still has room, it takes
 * leases from workers holding more than the share, never bringing one below it, and only
 * leases their holder has had for the minimum dwell time, so leases do not flap. Non-copying
 * leases move first (a move during the initial copy restarts the copy), then from the most
 * loaded worker, then the oldest grant. Stateless.
 */
final class LeaseBalance {

    private LeaseBalance() {
    }

    /** A lease as rebalancing sees it. */
    record Held(UUID replicationId, String workerId, Instant grantedAt, boolean copying) {
    }

    /** {@code ceil(active / live)}, with at least one live worker (the caller). */
    static long fairShare(long active, long live) {
        long workers = Math.max(1, live);
        return (active + workers - 1) / workers;
    }

    /** How many more leases a worker holding {@code held} may take: bounded by its capacity and the fair share. */
    static int room(int capacity, long fairShare, int held) {
        return (int) Math.max(0, Math.min(capacity, fairShare) - held);
    }

    /**
     * The leases to move to {@code taker}, in order.
     *
     * @param room        how many more leases the taker may hold
     * @param maxMoves    most moves at once
     * @param dwellCutoff only leases granted at or before this instant may move
     * @param leases      every lease held now, by every worker
     */
    static List<UUID> toMove(String taker, int room, long fairShare, int maxMoves, Instant dwellCutoff, List<Held> leases) {
        Map<String, Integer> load = new HashMap<>();
        leases.forEach(l -> load.merge(l.workerId(), 1, Integer::sum));
        List<Held> candidates = new ArrayList<>(leases.stream()
                .filter(l -> !l.workerId().equals(taker) && !l.grantedAt().isAfter(dwellCutoff)).toList());
        Comparator<Held> order = Comparator.<Held, Boolean>comparing(Held::copying)
                .thenComparing(l -> -load.get(l.workerId()))
                .thenComparing(Held::grantedAt)
                .thenComparing(Held::replicationId);
        List<UUID> moves = new ArrayList<>();
        while (moves.size() < Math.min(room, maxMoves)) {
            Held next = candidates.stream().filter(l -> load.get(l.workerId()) > fairShare).min(order).orElse(null);
            if (next == null) {
                break;
            }
            candidates.remove(next);
            load.merge(next.workerId(), -1, Integer::sum);
            moves.add(next.replicationId());
        }
        return moves;
    }
}
