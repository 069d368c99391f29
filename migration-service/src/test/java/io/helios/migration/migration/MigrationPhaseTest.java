package io.helios.migration.migration;

import org.junit.jupiter.api.Test;

import java.util.EnumSet;

import static io.helios.migration.migration.MigrationPhase.*;
import static org.assertj.core.api.Assertions.assertThat;

/** The lifecycle's moves: forward through the phases, back from a rolled-back cutover, nothing out of a final phase. */
class MigrationPhaseTest {

    @Test
    void theHappyPathIsAllowed() {
        MigrationPhase[] path = {PLANNED, COPYING, CATCHING_UP, READY, CUTTING_OVER, CUT_OVER, REVERSE_REPLICATING,
                CUTTING_OVER, CUT_OVER, CLEANING_UP, DONE};
        for (int i = 1; i < path.length; i++) {
            assertThat(path[i - 1].canMoveTo(path[i])).as("%s -> %s", path[i - 1], path[i]).isTrue();
        }
    }

    @Test
    void aRolledBackCutoverGoesBackToCatchingUpOrReady() {
        assertThat(CUTTING_OVER.canMoveTo(CATCHING_UP)).isTrue();
        assertThat(CUTTING_OVER.canMoveTo(READY)).isTrue();
    }

    @Test
    void finalPhasesAreFinal() {
        for (MigrationPhase end : EnumSet.of(DONE, ABORTED, FAILED)) {
            assertThat(end.terminal()).isTrue();
            for (MigrationPhase p : values()) {
                assertThat(end.canMoveTo(p)).as("%s -> %s", end, p).isFalse();
            }
        }
    }

    @Test
    void abortIsPossibleOnlyBeforeTheCutoverCommits() {
        assertThat(EnumSet.allOf(MigrationPhase.class).stream().filter(MigrationPhase::abortable))
                .containsExactlyInAnyOrder(PLANNED, COPYING, CATCHING_UP, READY, CUTTING_OVER);
        assertThat(CUT_OVER.canMoveTo(ABORTED)).isFalse();
        assertThat(REVERSE_REPLICATING.canMoveTo(ABORTED)).isFalse();
    }

    @Test
    void nothingSkipsTheCutover() {
        for (MigrationPhase before : EnumSet.of(PLANNED, COPYING, CATCHING_UP, READY)) {
            assertThat(before.canMoveTo(CUT_OVER)).isFalse();
            assertThat(before.canMoveTo(DONE)).isFalse();
        }
    }
}
