package io.helios.migration.cutover;

/**
 * How a cutover attempt ended.
 *
 * @param kind         COMMITTED (the route moved, the target is writable, the source refuses), ROLLED_BACK
 *                     (the source stays primary, its writers went on), or UNRESOLVED (the route move got no
 *                     answer: the source refuses the tenant's writes until {@code CutoverRecovery} decides)
 * @param writePauseMs how long the tenant's writes were held, hold to release
 * @param finalLsn     the source's last LSN the target applied before the route moved (COMMITTED)
 * @param routingEpoch the tenant's routing epoch after the move (COMMITTED)
 * @param reason       why an attempt was rolled back or is unresolved
 */
public record CutoverOutcome(Kind kind, double writePauseMs, String finalLsn, Long routingEpoch, String reason) {

    public enum Kind { COMMITTED, ROLLED_BACK, UNRESOLVED }

    static CutoverOutcome committed(double pauseMs, String lsn, long epoch) {
        return new CutoverOutcome(Kind.COMMITTED, pauseMs, lsn, epoch, null);
    }

    static CutoverOutcome rolledBack(double pauseMs, String reason) {
        return new CutoverOutcome(Kind.ROLLED_BACK, pauseMs, null, null, reason);
    }

    static CutoverOutcome unresolved(double pauseMs, String reason) {
        return new CutoverOutcome(Kind.UNRESOLVED, pauseMs, null, null, reason);
    }
}
