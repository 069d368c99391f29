package io.helios.controlplane;

import io.helios.security.Role;
import io.helios.testsupport.PostgresCluster;
import io.helios.testsupport.TestTokens;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * V24 backfills ownership from the definitions that exist when it runs: each tenant is granted
 * the endpoints its replications and primary use and claims the schemas they read and write
 * (exclusively for SCHEMA, shared for ROW), the older replication winning a schema two tenants
 * name. A database at V20 with definitions is migrated by a control plane starting on it.
 */
class OwnershipBackfillIT {

    private static final String E1 = "00000000-0000-0000-0000-0000000000e1";
    private static final String E2 = "00000000-0000-0000-0000-0000000000e2";

    private static RunningControlPlane cp;

    @BeforeAll
    static void start() throws SQLException {
        PostgresCluster pg = RunningControlPlane.cluster();
        String db = pg.createDatabase("cp_backfill");
        Flyway.configure().dataSource(pg.jdbcUrl(db), pg.user(), pg.password()).locations("classpath:db/migration")
                .target("20").load().migrate();
        try (Connection c = pg.connect(db); Statement s = c.createStatement()) {
            s.execute("INSERT INTO endpoint (id, name, region, jdbc_url, username, created_at, version) VALUES "
                    + "('" + E1 + "', 'e1', 'r', 'jdbc:postgresql://h/e1', 'u', now(), 0), "
                    + "('" + E2 + "', 'e2', 'r', 'jdbc:postgresql://h/e2', 'u', now(), 0)");
            s.execute("INSERT INTO tenant (id, name, created_at, version) VALUES ('bf-a', 'A', now(), 0), "
                    + "('bf-b', 'B', now(), 0)");
            replication(s, "a1", "bf-a", E1, E2, "SCHEMA", "a", "a", 1);
            replication(s, "b1", "bf-b", E2, E1, "SCHEMA", "b", null, 2);
            // names the schema bf-a's older replication writes: bf-b gets no claim on it
            replication(s, "b2", "bf-b", E1, E2, "SCHEMA", "b", "a", 3);
            replication(s, "a2", "bf-a", E2, E1, "ROW", "public", "rows", 4);
        }
        cp = RunningControlPlane.restart("backfill", Map.of(), null);
    }

    @AfterAll
    static void stop() {
        if (cp != null) {
            cp.close();
        }
    }

    @Test
    void existingDefinitionsAreGrantedAndClaimedOldestFirst() throws SQLException {
        assertThat(rows("SELECT tenant_id || ' ' || endpoint_id FROM tenant_endpoint ORDER BY 1")).containsExactly(
                "bf-a " + E1, "bf-a " + E2, "bf-b " + E1, "bf-b " + E2);
        assertThat(rows("SELECT tenant_id || ' ' || right(endpoint_id::text, 2) || ' ' || schema_name || ' ' || shared"
                + " FROM tenant_schema ORDER BY 1")).containsExactly(
                "bf-a e1 a false", "bf-a e1 rows true", "bf-a e2 a false", "bf-a e2 public true",
                "bf-b e1 b false", "bf-b e2 b false");
        assertThat(rows("SELECT count(*) FROM endpoint WHERE owner_tenant_id IS NOT NULL")).containsExactly("0");
    }

    @Test
    void aRestrictedAdminKeepsItsDefinitionsAndNoOneMayWriteIntoTheOtherTenantsSchema() {
        RunningControlPlane.Client b = cp.as(TestTokens.mint("bf-b-admin", Role.ADMIN, List.of("bf-b")));
        RunningControlPlane.Response again = b.put("/api/v1/replications/" + id("b1"), Json.of("tenantId", "bf-b",
                "sourceEndpointId", E2, "targetEndpointId", E1, "tenancyModel", "SCHEMA", "sourceSchema", "b"));
        assertThat(again.status()).as(again.toString()).isEqualTo(200);
        RunningControlPlane.Response into = cp.put("/api/v1/replications/" + id("b2"), Json.of("tenantId", "bf-b",
                "sourceEndpointId", E1, "targetEndpointId", E2, "tenancyModel", "SCHEMA", "sourceSchema", "b",
                "targetSchema", "a"));
        assertThat(into.status()).as(into.toString()).isEqualTo(409);
        assertThat(into.text("detail")).contains("schema 'a' on endpoint '" + E2 + "' is claimed by tenant 'bf-a'");
    }

    private static void replication(Statement s, String name, String tenant, String source, String target, String model,
                                    String sourceSchema, String targetSchema, int minute) throws SQLException {
        s.execute("INSERT INTO replication (id, tenant_id, source_endpoint_id, target_endpoint_id, tenancy_model, "
                + "source_schema, target_schema, conflict_strategy, state, created_at, updated_at, version) VALUES ('"
                + id(name) + "', '" + tenant + "', '" + source + "', '" + target + "', '" + model + "', '" + sourceSchema
                + "', " + (targetSchema == null ? "NULL" : "'" + targetSchema + "'") + ", 'ERROR', 'STOPPED', "
                + "timestamp '2026-01-01 00:00' + interval '" + minute + " minutes', now(), 0)");
    }

    private static String id(String name) {
        return "00000000-0000-0000-0000-" + String.format("%12s", name).replace(' ', '0');
    }

    private static List<String> rows(String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = cp.connectOwnDatabase(); Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
            while (r.next()) {
                out.add(r.getString(1));
            }
        }
        return out;
    }
}
