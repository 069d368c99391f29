package io.helios.testsupport;

import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;

import static org.assertj.core.api.Assertions.assertThat;

class TestClustersTest {

    @Test
    void sharedClusterIsConfiguredForLogicalReplication() throws Exception {
        PostgresCluster cluster = TestClusters.shared();
        String db = cluster.createDatabase("ts_probe");
        try (Connection c = cluster.connect(db); ResultSet rs = c.createStatement().executeQuery(
                "SELECT current_setting('wal_level'), current_setting('track_commit_timestamp'),"
                        + " (SELECT count(*) FROM pg_available_extensions) >= 0")) {
            rs.next();
            assertThat(rs.getString(1)).isEqualTo("logical");
            assertThat(rs.getString(2)).isEqualTo("on");
        }
        assertThat(TestClusters.shared()).isSameAs(cluster);
    }
}
