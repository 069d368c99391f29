package io.helios.debezium;

import io.helios.core.change.Lsn;
import io.helios.core.change.SourceTransaction;
import io.helios.core.tenant.TenancyModel;
import io.helios.core.tenant.TenantScope;
import io.helios.postgres.PgEndpoint;
import io.helios.postgres.slot.Publications;
import io.helios.testsupport.PostgresCluster;
import io.helios.testsupport.TestClusters;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A database of its own on the shared test cluster, with helpers to set up a tenant (schema,
 * publication, slot), run SQL, read values as the server prints them, and drain an engine.
 */
final class DebeziumFixture {

    static final Duration WAIT = Duration.ofSeconds(60);

    final PostgresCluster cluster = TestClusters.shared();
    final String database;
    final PgEndpoint endpoint;

    DebeziumFixture(String database) {
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

    /** The first column of the first row, printed by the server with TimeZone=UTC. */
    String text(String query) throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.execute("SET TimeZone = 'UTC'");
            try (ResultSet rs = s.executeQuery(query)) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    Lsn currentLsn() throws SQLException {
        return Lsn.parse(text("SELECT pg_current_wal_lsn()"));
    }

    /**
     * Creates schema {@code name} with the given DDL, then the publication the worker would create
     * for a SCHEMA tenant of it, and a pgoutput slot, both named {@code name}.
     */
    void tenant(String name, String... ddl) throws SQLException {
        List<String> statements = new ArrayList<>();
        statements.add("CREATE SCHEMA " + name);
        statements.add("SET search_path = " + name);
        statements.addAll(List.of(ddl));
        sql(statements.toArray(String[]::new));
        try (Connection c = connect()) {
            Publications.ensure(c, name, new TenantScope(name, TenancyModel.SCHEMA, name, null, null, null), List.of());
        }
        sql("SELECT pg_create_logical_replication_slot('" + name + "', 'pgoutput')");
    }

    Lsn confirmedFlush(String slot) throws SQLException {
        try (Connection c = connect(); PreparedStatement ps = c.prepareStatement(
                "SELECT confirmed_flush_lsn FROM pg_replication_slots WHERE slot_name = ?")) {
            ps.setString(1, slot);
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).as("slot %s exists", slot).isTrue();
                return Lsn.parse(rs.getString(1));
            }
        }
    }

    /** Takes exactly {@code n} transactions, each within the wait bound. */
    static List<SourceTransaction> take(DebeziumCaptureEngine engine, int n) throws InterruptedException {
        List<SourceTransaction> txs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            SourceTransaction tx = engine.poll(WAIT);
            assertThat(tx).as("transaction %d of %d", i + 1, n).isNotNull();
            txs.add(tx);
        }
        return txs;
    }
}
