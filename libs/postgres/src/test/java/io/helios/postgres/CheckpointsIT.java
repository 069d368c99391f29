package io.helios.postgres;

import io.helios.core.change.Lsn;
import io.helios.postgres.checkpoint.Checkpoint;
import io.helios.postgres.checkpoint.Checkpoints;
import io.helios.postgres.checkpoint.StaleLeaseException;
import io.helios.testsupport.PostgresCluster;
import io.helios.testsupport.TestClusters;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The checkpoint table's lease protocol: claim-then-read, conditional advance, guarded first insert. */
class CheckpointsIT {

    private static final String DB = "checkpoints_it";
    private static PostgresCluster pg;

    @BeforeAll
    static void database() throws Exception {
        pg = TestClusters.shared();
        pg.createDatabase(DB);
        try (Connection c = pg.connect(DB)) {
            Checkpoints.installSchema(c);
            Checkpoints.installSchema(c);
        }
    }

    @Test
    void claimIsEmptyUntilAFirstCheckpointExists() throws Exception {
        try (Connection c = pg.connect(DB)) {
            assertThat(Checkpoints.claim(c, "none-yet", 1)).isEmpty();
            assertThat(Checkpoints.read(c, "none-yet")).isEmpty();
        }
    }

    @Test
    void aNewerLeaseClaimsAndTheOlderCanNeitherAdvanceNorClaimNorInsert() throws Exception {
        Instant commit = Instant.parse("2025-03-01T10:15:30.123456Z");
        try (Connection c = pg.connect(DB)) {
            Checkpoints.insert(c, "r1", 1, Lsn.parse("0/100"));
            Checkpoints.advance(c, "r1", 1, Lsn.parse("0/200"), commit);
            Checkpoint claimed = Checkpoints.claim(c, "r1", 2).orElseThrow();
            assertThat(claimed).isEqualTo(new Checkpoint("r1", Lsn.parse("0/200"), 2, commit));
            assertThatThrownBy(() -> Checkpoints.advance(c, "r1", 1, Lsn.parse("0/300"), commit))
                    .isInstanceOf(StaleLeaseException.class).hasMessageContaining("r1").hasMessageContaining("epoch 1");
            assertThatThrownBy(() -> Checkpoints.claim(c, "r1", 1)).isInstanceOf(StaleLeaseException.class);
            assertThatThrownBy(() -> Checkpoints.insert(c, "r1", 1, Lsn.parse("0/50"))).isInstanceOf(StaleLeaseException.class);
            Checkpoints.advance(c, "r1", 2, Lsn.parse("0/300"), null);
            assertThat(Checkpoints.read(c, "r1").orElseThrow()).isEqualTo(new Checkpoint("r1", Lsn.parse("0/300"), 2, null));
        }
    }

    @Test
    void claimCommitsOnItsOwnAndAdvanceStaysInTheCallersTransaction() throws Exception {
        try (Connection c = pg.connect(DB); Connection other = pg.connect(DB)) {
            Checkpoints.insert(c, "r2", 3, Lsn.parse("1/0"));
            c.setAutoCommit(false);
            Checkpoints.claim(c, "r2", 4);
            assertThat(c.getAutoCommit()).isFalse();
            assertThat(Checkpoints.read(other, "r2").orElseThrow().leaseEpoch()).isEqualTo(4);
            Checkpoints.advance(c, "r2", 4, Lsn.parse("1/10"), null);
            assertThat(Checkpoints.read(other, "r2").orElseThrow().lsn()).isEqualTo(Lsn.parse("1/0"));
            c.rollback();
            assertThat(Checkpoints.read(other, "r2").orElseThrow().lsn()).isEqualTo(Lsn.parse("1/0"));
        }
    }

    @Test
    void insertReplacesAnOlderOrEqualEpochAndDeleteRemoves() throws Exception {
        try (Connection c = pg.connect(DB)) {
            Checkpoints.insert(c, "r3", 1, Lsn.parse("0/10"));
            Checkpoints.insert(c, "r3", 2, Lsn.parse("0/20"));
            assertThat(Checkpoints.read(c, "r3").orElseThrow().lsn()).isEqualTo(Lsn.parse("0/20"));
            Checkpoints.delete(c, "r3");
            assertThat(Checkpoints.read(c, "r3")).isEmpty();
        }
    }
}
