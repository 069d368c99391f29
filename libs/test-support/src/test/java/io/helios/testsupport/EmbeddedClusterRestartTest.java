package io.helios.testsupport;

import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Crash and restart in place: what the target-crash tests rely on. */
class EmbeddedClusterRestartTest {

    @Test
    void immediateStopRefusesConnectionsAndRestartKeepsCommittedRowsOnTheSamePort() throws Exception {
        try (PostgresCluster cluster = EmbeddedCluster.start(null, 0, true)) {
            int port = cluster.port();
            String db = cluster.createDatabase("restart_probe");
            try (Connection c = cluster.connect(db); Statement s = c.createStatement()) {
                s.execute("CREATE TABLE t (id int PRIMARY KEY)");
                s.execute("INSERT INTO t SELECT generate_series(1, 1000)");
            }

            cluster.stopImmediate();
            assertThatThrownBy(() -> cluster.connect(db).close()).hasMessageContaining("onnection");

            cluster.restart();
            assertThat(cluster.port()).isEqualTo(port);
            try (Connection c = cluster.connect(db); ResultSet rs = c.createStatement().executeQuery("SELECT count(*) FROM t")) {
                rs.next();
                assertThat(rs.getLong(1)).isEqualTo(1000);
            }
            cluster.stopImmediate();
            cluster.restart();
        }
    }
}
