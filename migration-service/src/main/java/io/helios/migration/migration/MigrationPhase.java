package io.helios.migration.migration;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

import static java.util.Map.entry;

/**
 * The lifecycle of a migration, persisted in its row. Every move goes through {@link #canMoveTo},
 * a compare-and-set on the stored phase ({@link MigrationRepository#transition}), and publishes an
 * event. CUTTING_OVER may go back to CATCHING_UP or READY (an attempt rolled back: the source
 * stays primary) and is entered again from REVERSE_REPLICATING for a rollback.
 */
public enum MigrationPhase {
    PLANNED, COPYING, CATCHING_UP, READY, CUTTING_OVER, CUT_OVER, REVERSE_REPLICATING, CLEANING_UP, DONE, ABORTED, FAILED;

    private static final Map<MigrationPhase, Set<MigrationPhase>> NEXT = Map.ofEntries(
            entry(PLANNED, EnumSet.of(COPYING, CATCHING_UP, ABORTED, FAILED)),
            entry(COPYING, EnumSet.of(CATCHING_UP, ABORTED, FAILED)),
            entry(CATCHING_UP, EnumSet.of(READY, CUTTING_OVER, ABORTED, FAILED)),
            entry(READY, EnumSet.of(CATCHING_UP, CUTTING_OVER, ABORTED, FAILED)),
            entry(CUTTING_OVER, EnumSet.of(CUT_OVER, CATCHING_UP, READY, REVERSE_REPLICATING, CLEANING_UP, ABORTED, FAILED)),
            entry(CUT_OVER, EnumSet.of(REVERSE_REPLICATING, CLEANING_UP, FAILED)),
            entry(REVERSE_REPLICATING, EnumSet.of(CUTTING_OVER, CLEANING_UP, FAILED)),
            entry(CLEANING_UP, EnumSet.of(DONE, FAILED)),
            entry(DONE, EnumSet.noneOf(MigrationPhase.class)),
            entry(ABORTED, EnumSet.noneOf(MigrationPhase.class)),
            entry(FAILED, EnumSet.noneOf(MigrationPhase.class)));

    public boolean canMoveTo(MigrationPhase next) {
        return NEXT.get(this).contains(next);
    }

    /** DONE, ABORTED and FAILED: nothing moves it any more, and the tenant may be migrated again. */
    public boolean terminal() {
        return this == DONE || this == ABORTED || this == FAILED;
    }

    /** Before the cutover commits: abort leaves the tenant where it was. */
    public boolean abortable() {
        return this == PLANNED || this == COPYING || this == CATCHING_UP || this == READY || this == CUTTING_OVER;
    }
}
