package io.helios.controlplane.audit;

import io.helios.controlplane.RunningControlPlane;
import io.helios.testsupport.PostgresCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The database roles of the deployments (docs/deploy.md, "Database users"), with their own files:
 * {@code deploy/postgres/control-plane-roles.sql} creates the service role as the superuser owner,
 * the control plane migrates as the owner with the Flyway callback of {@code deploy/postgres/flyway}
 * and serves as the service role. The service works (requests audited through {@code audit_append}),
 * and its connection cannot write the audit trail directly, disable its triggers, change the schema
 * or Flyway's history.
 */
class SeparateDatabaseRolesIT {

    private static final Path DEPLOY = Path.of("..", "deploy", "postgres");
    private static final String SERVICE = "helios_service_" + Long.toHexString(System.nanoTime());
    private static final String PASSWORD = "service-pw-" + Long.toHexString(System.nanoTime());
    private static final String NAME = "split_roles";

    private static RunningControlPlane cp;
    private static String url;

    @BeforeAll
    static void start() throws SQLException, IOException {
        PostgresCluster pg = RunningControlPlane.cluster();
        String db = pg.createDatabase("cp_" + NAME);
        url = pg.jdbcUrl(db);
        try (Connection owner = pg.connect(db)) {
            PsqlScript.run(owner, Files.readString(DEPLOY.resolve("control-plane-roles.sql")), Map.of(
                    "owner_role", pg.user(), "database", db, "service_role", SERVICE, "service_password", PASSWORD));
        }
        Map<String, Object> props = new HashMap<>();
        props.put("spring.datasource.username", SERVICE);
        props.put("spring.datasource.password", PASSWORD);
        props.put("spring.flyway.user", pg.user());
        props.put("spring.flyway.password", pg.password());
        props.put("spring.flyway.locations", "classpath:db/migration,filesystem:"
                + DEPLOY.resolve("flyway").toAbsolutePath().normalize());
        props.put("helios.audit.checkpoint-interval", "1h");
        cp = RunningControlPlane.restart(NAME, props, null);
    }

    @AfterAll
    static void stop() {
        if (cp != null) {
            cp.close();
        }
    }

    private static Connection asService() throws SQLException {
        return DriverManager.getConnection(url, SERVICE, PASSWORD);
    }

    private static void refused(String sql) {
        assertThatThrownBy(() -> {
            try (Connection c = asService(); Statement s = c.createStatement()) {
                s.execute(sql);
            }
        }).as(sql).isInstanceOf(SQLException.class)
                .satisfies(e -> assertThat(((SQLException) e).getSQLState()).as(e.getMessage()).isEqualTo("42501"));
    }

    @Test
    void theServiceServesAndAuditsAsARoleThatOwnsNothing() throws SQLException {
        RunningControlPlane.Response created = cp.post("/api/v1/tenants", "{\"id\":\"split-a\",\"name\":\"Split A\"}");
        assertThat(created.status()).as(created.toString()).isBetween(200, 299);
        try (Connection c = asService(); Statement s = c.createStatement()) {
            assertThat(one(s, "SELECT current_user")).isEqualTo(SERVICE);
            assertThat(one(s, "SELECT count(*) FROM audit_event WHERE path = '/api/v1/tenants'")).isNotEqualTo("0");
            assertThat(one(s, "SELECT count(*) FROM pg_class c JOIN pg_roles r ON r.oid = c.relowner"
                    + " WHERE r.rolname = current_user")).isEqualTo("0");
            assertThat(one(s, "SELECT r.rolname FROM pg_class c JOIN pg_roles r ON r.oid = c.relowner"
                    + " WHERE c.relname = 'audit_event'")).isEqualTo("helios_audit_owner");
            s.execute("UPDATE tenant SET name = 'Split A2' WHERE id = 'split-a'");
        }
    }

    @Test
    void theServicesConnectionCannotWriteTheAuditTrailDirectlyNorChangeTheSchema() {
        refused("INSERT INTO audit_event (subject) VALUES ('forged')");
        refused("UPDATE audit_event SET subject = 'forged'");
        refused("DELETE FROM audit_checkpoint");
        refused("UPDATE audit_chain_head SET last_id = 0");
        refused("ALTER TABLE audit_event DISABLE TRIGGER ALL");
        refused("DROP TABLE audit_event");
        refused("DROP TABLE tenant");
        refused("CREATE TABLE side_table (i int)");
        refused("DELETE FROM flyway_schema_history");
    }

    private static String one(Statement s, String sql) throws SQLException {
        try (ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
