package io.helios.postgres.slot;

import io.helios.postgres.PgEndpoint;
import io.helios.testsupport.PostgresCluster;
import io.helios.testsupport.TestClusters;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/** A database of its own on the shared test cluster, with helpers to run SQL and read results. */
final class SlotFixture {

    final PostgresCluster cluster = TestClusters.shared();
    final String database;
    final PgEndpoint endpoint;

    SlotFixture(String database) {
        this.database = cluster.createDatabase(database);
        this.endpoint = new PgEndpoint(cluster.jdbcUrl(database), cluster.user(), cluster.password());
    }

    Connection connect() throws SQLException {
        return cluster.connect(database);
    }

    void sql(String... statements) throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            for (String sql : statements) {
                s.execute(sql);
            }
        }
    }

    String text(String query) throws SQLException {
        List<String> column = column(query);
        return column.isEmpty() ? null : column.get(0);
    }

    /** The first column of every row, as text. */
    List<String> column(String query) throws SQLException {
        List<String> values = new ArrayList<>();
        try (Connection c = connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(query)) {
            while (rs.next()) {
                values.add(rs.getString(1));
            }
        }
        return values;
    }

    void createSlot(String slot) throws SQLException {
        sql("SELECT pg_create_logical_replication_slot('" + slot + "', 'pgoutput')");
    }
}
