package io.helios.controlplane.audit;

import io.helios.controlplane.RunningControlPlane;
import io.helios.controlplane.RunningControlPlane.Response;
import io.helios.security.Role;
import io.helios.testsupport.TestTokens;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import tools.jackson.databind.JsonNode;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The tamper-evident audit trail (Flyway V25): rows hash-chained by {@code audit_append}, signed
 * checkpoints, {@code GET /api/v1/audit/verify} naming the first broken row, and a table the
 * service role cannot change. Tampering is done as the test cluster's superuser, the one who can.
 * The tests share one chain; each one that breaks it repairs it before it ends.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AuditChainIT {

    private static final String APP_ROLE = "audit_app_" + Long.toHexString(System.nanoTime());
    private static final String APP_PASSWORD = "app-pw-" + Long.toHexString(System.nanoTime());

    private RunningControlPlane cp;

    @BeforeAll
    void start() throws SQLException {
        try (Connection c = RunningControlPlane.cluster().connect("postgres"); Statement s = c.createStatement()) {
            s.execute("CREATE ROLE " + APP_ROLE + " LOGIN PASSWORD '" + APP_PASSWORD + "'");
        }
        cp = RunningControlPlane.start("audit_chain", Map.of("spring.flyway.placeholders.auditServiceRole", APP_ROLE,
                "helios.audit.checkpoint-interval", "1h"), null);
        // a few audited requests
        for (int i = 0; i < 5; i++) {
            cp.post("/api/v1/tenants", "{\"id\":\"chain-" + i + "\",\"name\":\"Chain " + i + "\"}");
        }
    }

    @AfterAll
    void stop() {
        if (cp != null) {
            cp.close();
        }
    }

    @Test
    void anIntactChainVerifies() {
        JsonNode v = verify();
        assertThat(v.get("intact").asBoolean()).as(v.toString()).isTrue();
        assertThat(v.get("rows").asLong()).isGreaterThanOrEqualTo(5);
        assertThat(v.get("complete").asBoolean()).isTrue();
        assertThat(v.get("headHash").asString()).hasSize(64);
    }

    @Test
    void onlyAnUnrestrictedAdminMayVerify() {
        assertThat(cp.as(TestTokens.admin()).get("/api/v1/audit/verify").status()).isEqualTo(200);
        assertThat(cp.as(TestTokens.operator()).get("/api/v1/audit/verify").status()).isEqualTo(403);
        assertThat(cp.as(TestTokens.viewer()).get("/api/v1/audit/verify").status()).isEqualTo(403);
        assertThat(cp.as(TestTokens.worker()).get("/api/v1/audit/verify").status()).isEqualTo(403);
        assertThat(cp.as(TestTokens.mint("scoped", Role.ADMIN, Set.of("chain-1"))).get("/api/v1/audit/verify").status())
                .isEqualTo(403);
        assertThat(cp.as("").get("/api/v1/audit/verify").status()).isEqualTo(401);
        assertThat(cp.as(TestTokens.admin()).get("/%61pi/v1/audit/verify").status()).isEqualTo(200);
        assertThat(cp.as(TestTokens.viewer()).get("/%61pi/v1/audit/verify").status()).isEqualTo(403);
        assertThat(cp.get("/api/v1/audit/verify?limit=0").status()).isEqualTo(400);
    }

    @Test
    void aChangedRowIsNamed() throws SQLException {
        long id = someRowId();
        try (Connection c = cp.connectOwnDatabase(); Statement s = c.createStatement()) {
            s.execute("CREATE TEMP TABLE original AS SELECT * FROM audit_event WHERE id = " + id);
            s.execute("ALTER TABLE audit_event DISABLE TRIGGER audit_event_no_update_delete");
            s.executeUpdate("UPDATE audit_event SET subject = 'someone-else' WHERE id = " + id);
            s.execute("ALTER TABLE audit_event ENABLE TRIGGER audit_event_no_update_delete");
            try {
                JsonNode v = verify();
                assertThat(v.get("intact").asBoolean()).isFalse();
                assertThat(v.get("brokenRowId").asLong()).isEqualTo(id);
                assertThat(v.get("reason").asString()).contains("do not match its hash");
            } finally {
                s.execute("ALTER TABLE audit_event DISABLE TRIGGER audit_event_no_update_delete");
                s.executeUpdate("UPDATE audit_event SET subject = (SELECT subject FROM original) WHERE id = " + id);
                s.execute("ALTER TABLE audit_event ENABLE TRIGGER audit_event_no_update_delete");
            }
        }
        assertThat(verify().get("intact").asBoolean()).isTrue();
    }

    @Test
    void aRemovedRowIsNoticedAtTheNextOne() throws SQLException {
        long id = someRowId();
        try (Connection c = cp.connectOwnDatabase(); Statement s = c.createStatement()) {
            long before = single(s, "SELECT max(id) FROM audit_event WHERE id < " + id);
            long after = single(s, "SELECT min(id) FROM audit_event WHERE id > " + id);
            s.execute("CREATE TEMP TABLE removed AS SELECT * FROM audit_event WHERE id = " + id);
            s.execute("ALTER TABLE audit_event DISABLE TRIGGER audit_event_no_update_delete");
            s.executeUpdate("DELETE FROM audit_event WHERE id = " + id);
            try {
                JsonNode v = verify();
                assertThat(v.get("intact").asBoolean()).isFalse();
                assertThat(v.get("brokenRowId").asLong()).isEqualTo(after);
                assertThat(v.get("reason").asString()).contains("row " + before).contains("removed");
            } finally {
                s.executeUpdate("INSERT INTO audit_event SELECT * FROM removed");
                s.execute("ALTER TABLE audit_event ENABLE TRIGGER audit_event_no_update_delete");
            }
        }
        assertThat(verify().get("intact").asBoolean()).isTrue();
    }

    @Test
    void aRemovedTailIsCaughtByTheSignedCheckpoint() throws SQLException {
        AuditCheckpointTask checkpoints = cp.bean(AuditCheckpointTask.class);
        cp.post("/api/v1/tenants", "{\"id\":\"chain-tail\",\"name\":\"Tail\"}");
        long checkpoint = checkpoints.checkpoint().orElseThrow();
        assertThat(verify().get("checkpointId").asLong()).isEqualTo(checkpoint);
        try (Connection c = cp.connectOwnDatabase(); Statement s = c.createStatement()) {
            long head = single(s, "SELECT last_id FROM audit_chain_head");
            s.execute("CREATE TEMP TABLE tail AS SELECT * FROM audit_event WHERE id = " + head);
            s.execute("CREATE TEMP TABLE old_head AS SELECT * FROM audit_chain_head");
            // the owner rewrites the end of the chain consistently: row and head both rolled back
            s.execute("ALTER TABLE audit_event DISABLE TRIGGER audit_event_no_update_delete");
            s.executeUpdate("DELETE FROM audit_event WHERE id = " + head);
            s.executeUpdate("UPDATE audit_chain_head SET last_id = e.id, last_hash = e.row_hash FROM (SELECT id, row_hash"
                    + " FROM audit_event ORDER BY id DESC LIMIT 1) e");
            try {
                JsonNode v = verify();
                assertThat(v.get("intact").asBoolean()).as(v.toString()).isFalse();
                assertThat(v.get("brokenRowId").asLong()).isEqualTo(head);
                assertThat(v.get("reason").asString()).startsWith("checkpoint " + checkpoint).contains("removed");
            } finally {
                s.executeUpdate("INSERT INTO audit_event SELECT * FROM tail");
                s.executeUpdate("UPDATE audit_chain_head SET last_id = o.last_id, last_hash = o.last_hash FROM old_head o");
                s.execute("ALTER TABLE audit_event ENABLE TRIGGER audit_event_no_update_delete");
            }
        }
        assertThat(verify().get("intact").asBoolean()).isTrue();
    }

    @Test
    void concurrentAppendsChainOneAfterTheOther() throws Exception {
        AuditRepository repository = cp.bean(AuditRepository.class);
        long before = verify().get("rows").asLong();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<CompletableFuture<Void>> appends = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int thread = t;
                appends.add(CompletableFuture.runAsync(() -> {
                    for (int i = 0; i < 25; i++) {
                        repository.append(Instant.now(), "concurrent-" + thread, "POST", "/api/v1/x/" + i, "x",
                                String.valueOf(i), null, 201);
                    }
                }, pool));
            }
            CompletableFuture.allOf(appends.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }
        JsonNode v = verify();
        assertThat(v.get("intact").asBoolean()).as(v.toString()).isTrue();
        assertThat(v.get("rows").asLong()).isGreaterThanOrEqualTo(before + 200);
    }

    @Test
    void theServiceRoleCanAppendAndReadButNotChangeTheTrail() throws SQLException {
        String url = RunningControlPlane.cluster().jdbcUrl("cp_audit_chain");
        try (Connection c = DriverManager.getConnection(url, APP_ROLE, APP_PASSWORD); Statement s = c.createStatement()) {
            assertThat(single(s, "SELECT audit_append(now(), 'app', 'POST', '/api/v1/y', null, null, null, 200)"))
                    .isPositive();
            assertThat(single(s, "SELECT count(*) FROM audit_event")).isPositive();
            for (String sql : List.of(
                    "UPDATE audit_event SET subject = 'x'",
                    "DELETE FROM audit_event",
                    "TRUNCATE audit_event",
                    "INSERT INTO audit_event (occurred_at, subject, method, path, status, prev_hash, row_hash)"
                            + " VALUES (now(), 'x', 'GET', '/', 200, '\\x00', '\\x00')",
                    "ALTER TABLE audit_event DISABLE TRIGGER audit_event_no_update_delete",
                    "DROP TRIGGER audit_event_no_update_delete ON audit_event",
                    "DROP TABLE audit_event",
                    "UPDATE audit_chain_head SET last_id = 0",
                    "DELETE FROM audit_checkpoint",
                    "CREATE OR REPLACE FUNCTION audit_event_is_append_only() RETURNS trigger LANGUAGE plpgsql"
                            + " AS $$ BEGIN RETURN NEW; END $$",
                    "SET ROLE helios_audit_owner")) {
                assertThatThrownBy(() -> s.execute(sql)).as(sql).isInstanceOf(SQLException.class)
                        .satisfies(e -> assertThat(((SQLException) e).getSQLState()).as(sql).isIn("42501", "42710"));
            }
        }
        try (Connection c = cp.connectOwnDatabase(); Statement s = c.createStatement()) {
            assertThat(single(s, "SELECT pg_get_userbyid(relowner) = 'helios_audit_owner' FROM pg_class"
                    + " WHERE relname = 'audit_event'") == 1).isTrue();
            assertThat(single(s, "SELECT count(*) FROM pg_roles WHERE rolname = 'helios_audit_owner' AND NOT rolcanlogin"))
                    .isEqualTo(1);
        }
        assertThat(verify().get("intact").asBoolean()).isTrue();
    }

    private JsonNode verify() {
        Response r = cp.get("/api/v1/audit/verify");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.json();
    }

    /** A row in the middle of the chain (there are rows before and after it). */
    private long someRowId() throws SQLException {
        try (Connection c = cp.connectOwnDatabase(); Statement s = c.createStatement()) {
            return single(s, "SELECT id FROM audit_event ORDER BY id OFFSET 2 LIMIT 1");
        }
    }

    private static long single(Statement s, String sql) throws SQLException {
        try (ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            Object o = rs.getObject(1);
            return o instanceof Boolean b ? (b ? 1 : 0) : ((Number) o).longValue();
        }
    }
}
