package io.helios.migration.cutover;

import io.helios.core.change.Lsn;
import io.helios.postgres.fence.Fence;
import io.helios.postgres.fence.Hold;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * One attempt at moving a tenant's writes from its current primary (the source) to the endpoint
 * a replication keeps in sync (the target), with a bounded write pause:
 * <ol>
 * <li>put the tenant's writes on the source on {@link Hold}: its lock waits for the tenant's writers in
 *     flight, and new ones queue behind it (they wait, they are not refused); the hold writes no WAL;</li>
 * <li>read the source's end of WAL: every write of the tenant the source will ever commit is before it;</li>
 * <li>wait until the target's checkpoint of the feeding replication has reached it;</li>
 * <li>carry the sequences; commit the source's refusal-in-waiting (for a crash from here on);</li>
 * <li>move the route (compare-and-set on the routing epoch);</li>
 * <li>lift the target's fence, turn the hold into a refusal that names the new primary and epoch,
 *     and let the held writers go (they are refused and re-route).</li>
 * </ol>
 * A failure, an abort request or the pause budget running out before the route moved releases the
 * hold: the source stays primary, its writers go on, nothing is lost. When the route move got no
 * answer the outcome is UNRESOLVED: the hold's lock is let go but its refusal-in-waiting stays, so the source
 * refuses the tenant (never writable twice) until {@link CutoverRecovery} reads the route and decides.
 * Not thread-safe: one attempt runs on the connections it is given.
 */
public final class Cutover {

    private static final Logger log = LoggerFactory.getLogger(Cutover.class);

    /**
     * @param tenantId           the tenant moved
     * @param replicationId      the replication that feeds the target (its checkpoint on the target)
     * @param sourceSchema       the schema whose sequences move to the target (null: none, DATABASE tenants)
     * @param targetSchema       where they land
     * @param expectedEpoch      the routing epoch the source is primary under
     * @param pauseBudget        the longest write pause allowed before the route moves
     * @param holdReason         what a writer refused after a crash during the hold reads
     * @param movedReason        turns the new epoch into the refusal the source keeps ("tenant acme moved to ...")
     */
    public record Plan(String tenantId, String replicationId, String sourceSchema,
                       String targetSchema, long expectedEpoch,
                       Duration pauseBudget, String holdReason,
                       java.util.function.LongFunction<String> movedReason) {
    }

    private final Plan plan;
    private final Connection source;
    private final Connection target;
    private final RouteMover route;
    private final BooleanSupplier abortRequested;

    /**
     * @param source an autocommit session on the source, used for nothing else while the attempt runs
     * @param target an autocommit connection to the target
     */
    public Cutover(Plan plan, Connection source, Connection target, RouteMover route, BooleanSupplier abortRequested) {
        this.plan = plan;
        this.source = source;
        this.target = target;
        this.route = route;
        this.abortRequested = abortRequested;
    }

    public CutoverOutcome run() throws SQLException {
        String tenant = plan.tenantId();
        long asked = System.nanoTime();
        Hold hold;
        try {
            // the hold's lock waits for the tenant's writers in flight, new writers queue behind it
            hold = Hold.begin(source, tenant, plan.pauseBudget());
        } catch (SQLException e) {
            double pause = millisSince(asked);
            String why = "55P03".equals(e.getSQLState())
                    ? "writers in flight did not end within the pause budget of " + plan.pauseBudget().toMillis() + " ms"
                    + " (pids " + inFlight() + ")" : "could not take the hold: " + e.getMessage();
            log.info("cutover of tenant {}: rolled back after {} ms, source stays primary: {}", tenant, ms(asked, System.nanoTime()), why);
            return CutoverOutcome.rolledBack(pause, why);
        }
        long start = hold.startedNanos();
        long deadline = start + plan.pauseBudget().toNanos();
        long held = System.nanoTime();
        String why;
        String finalLsn = null;
        long appliedDone = held;
        try {
            finalLsn = hold.currentWalLsn();
            why = awaitApplied(Lsn.parse(finalLsn), deadline);
            appliedDone = System.nanoTime();
            if (why == null && plan.sourceSchema() != null) {
                Sequences.carry(source, target, plan.sourceSchema(), plan.targetSchema());
            }
            if (why == null && abortRequested.getAsBoolean()) {
                why = "abort requested";
            }
            if (why == null && System.nanoTime() > deadline) {
                why = "the pause budget of " + plan.pauseBudget().toMillis() + " ms ran out before the route moved";
            }
            if (why == null) {
                hold.markMoving(plan.holdReason());
            }
        } catch (SQLException | RuntimeException e) {
            why = "failed before the route moved: " + e.getMessage();
        }
        if (why != null) {
            return rollBack(hold, start, why);
        }
        long marked = System.nanoTime();
        long epoch;
        try {
            epoch = route.move(plan.expectedEpoch());
        } catch (RouteMover.StaleEpoch e) {
            return rollBack(hold, start, "the route changed under the cutover: " + e.getMessage());
        } catch (RuntimeException unknown) {
            Long moved = confirm();
            if (moved == null) {
                // the refusal-in-waiting stays (the source refuses); the lock goes with this attempt
                double pause = millisSince(start);
                hold.abandon();
                log.warn("cutover of tenant {}: route move unanswered ({}); source refuses writes until recovery decides",
                        tenant, unknown.getMessage());
                return CutoverOutcome.unresolved(pause, "route move unanswered: " + unknown.getMessage());
            }
            if (moved < 0) {
                return rollBack(hold, start, "route move failed: " + unknown.getMessage());
            }
            epoch = moved;
        }
        long routeMoved = System.nanoTime();
        Fence.unfence(target, tenant);
        hold.refuse(plan.movedReason().apply(epoch));
        double pause = millisSince(start);
        log.info("cutover of tenant {}: committed at source LSN {}, routing epoch {}, write pause {} ms (writers in flight"
                        + " {} ms, target applied {} ms, sequences and mark {} ms, route moved {} ms, released {} ms)",
                tenant, finalLsn, epoch, String.format("%.1f", pause), ms(start, held), ms(held, appliedDone),
                ms(appliedDone, marked), ms(marked, routeMoved), ms(routeMoved, System.nanoTime()));
        return CutoverOutcome.committed(pause, finalLsn, epoch);
    }

    private List<Integer> inFlight() {
        try {
            return Hold.writersInFlight(source, plan.tenantId());
        } catch (SQLException e) {
            return List.of();
        }
    }

    /** The route after an unanswered move: its epoch when it moved, -1 when it did not, null when still unknown. */
    private Long confirm() {
        try {
            RouteMover.Current now = route.current();
            if (now.atNewPrimary() && now.epoch() > plan.expectedEpoch()) {
                return now.epoch();
            }
            return now.epoch() == plan.expectedEpoch() ? -1L : null;
        } catch (RuntimeException e) {
            return null;
        }
    }

    private CutoverOutcome rollBack(Hold hold, long start, String why) throws SQLException {
        hold.release();
        double pause = millisSince(start);
        log.info("cutover of tenant {}: rolled back after {} ms, source stays primary: {}", plan.tenantId(),
                String.format("%.1f", pause), why);
        return CutoverOutcome.rolledBack(pause, why);
    }

    private String awaitApplied(Lsn finalLsn, long deadline) throws SQLException {
        try (PreparedStatement ps = target.prepareStatement(
                "SELECT lsn::text FROM helios.replication_checkpoint WHERE replication_id = ?")) {
            ps.setString(1, plan.replicationId());
            while (true) {
                try (ResultSet rs = ps.executeQuery()) {
                    String lsn = rs.next() ? rs.getString(1) : null;
                    if (lsn != null && Lsn.parse(lsn).compareTo(finalLsn) >= 0) {
                        return null;
                    }
                    if (System.nanoTime() > deadline) {
                        return "the target had applied up to " + lsn + ", not yet " + finalLsn + ", when the pause budget ran out";
                    }
                }
                pause();
            }
        }
    }

    private static void pause() {
        LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(500));
        if (Thread.currentThread().isInterrupted()) {
            throw new IllegalStateException("interrupted");
        }
    }

    private static String ms(long from, long to) {
        return String.format("%.1f", (to - from) / 1e6);
    }

    private static double millisSince(long start) {
        return (System.nanoTime() - start) / 1_000_000.0;
    }
}
