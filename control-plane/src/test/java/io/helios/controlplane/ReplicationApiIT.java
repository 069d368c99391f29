package io.helios.controlplane;

import io.helios.controlplane.RunningControlPlane.Response;
import io.helios.postgres.PgEndpoint;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.postgresql.PGConnection;
import org.postgresql.replication.PGReplicationStream;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Replications over REST: validation problems, the lifecycle machine, status, routing, slot cleanup, and
 * what a replication uses being kept until it is gone.
 */
class ReplicationApiIT {

    private static final String UNKNOWN = "00000000-0000-0000-0000-00000000abcd";

    private static RunningControlPlane cp;
    private static Fixtures fx;
    private static String source;
    private static String target;

    @BeforeAll
    static void start() {
        cp = RunningControlPlane.start("replication_api", Map.of(), null);
        fx = new Fixtures(cp);
        source = fx.endpoint("repl-src", "repl_src");
        target = fx.endpoint("repl-tgt", "repl_tgt");
        fx.tenant("globex");
    }

    @AfterAll
    static void stop() {
        cp.close();
    }

    @Test
    void invalidReplicationsGetPreciseProblemsAndNothingIsCreated() {
        int before = cp.get("/api/v1/replications").json().get("items").size();
        expectProblem(body("nobody", source, target, "SCHEMA", "public", null, null), 404,
                "tenantId: 'nobody' does not exist");
        expectProblem(body("globex", UNKNOWN, target, "SCHEMA", "public", null, null), 404,
                "sourceEndpointId: '" + UNKNOWN + "' does not exist");
        expectProblem(body("globex", source, source, "SCHEMA", "public", null, null), 400,
                "targetEndpointId: must differ from sourceEndpointId");
        expectProblem(body("globex", source, target, "SCHEMA", "public", List.of("orders", "bad-glob!"), null), 400,
                "includeTables[1]: table pattern 'bad-glob!' is not valid");
        expectProblem(body("globex", source, target, "SCHEMA", "1nvalid schema", null, null), 400,
                "sourceSchema: source schema '1nvalid schema' is not a valid identifier");
        expectProblem(body("globex", source, target, "ROW", "public", null, "tenant id"), 400,
                "discriminatorColumn: discriminator column 'tenant id' is not a valid identifier");
        expectProblem(body("globex", source, target, null, "public", null, null), 400, "tenancyModel:");
        expectProblem(Json.of("tenantId", "globex", "sourceEndpointId", source, "targetEndpointId", target,
                "tenancyModel", "SHARDED"), 400, "not valid JSON");
        assertThat(cp.get("/api/v1/replications").json().get("items").size()).isEqualTo(before);
    }

    @Test
    void rowModelDefaultsTheDiscriminatorColumn() {
        fx.tenant("rowdy");
        Response r = cp.post("/api/v1/replications", body("rowdy", source, target, "ROW", null, null, null));
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        assertThat(r.text("discriminatorColumn")).isEqualTo("tenant_id");
        assertThat(r.text("sourceSchema")).isEqualTo("public");
        assertThat(r.text("state")).isEqualTo("CREATED");
        assertThat(cp.post("/api/v1/replications", body("rowdy", source, target, "ROW", null, null, null)).status())
                .as("one replication per tenant, source and target").isEqualTo(409);
        assertThat(cp.delete("/api/v1/replications/" + r.text("id")).status()).isEqualTo(204);
    }

    @Test
    void lifecycleFollowsTheStateMachineAndRefusesIllegalMoves() {
        fx.tenant("cycle");
        String id = fx.replication("cycle", source, target);
        expectIllegal(id, "pause", "cannot pause a replication in state CREATED");
        expectIllegal(id, "stop", "cannot stop a replication in state CREATED");
        assertThat(act(id, "start").text("state")).isEqualTo("RUNNING");
        expectIllegal(id, "resume", "cannot resume a replication in state RUNNING");
        expectIllegal(id, "start", "cannot start a replication in state RUNNING");
        assertThat(cp.put("/api/v1/replications/" + id, body("cycle", source, target, "SCHEMA", "public", null, null))
                .status()).as("a live replication cannot be changed").isEqualTo(409);
        assertThat(act(id, "pause").text("state")).isEqualTo("PAUSED");
        assertThat(act(id, "resume").text("state")).isEqualTo("RUNNING");
        assertThat(act(id, "stop").text("state")).isEqualTo("STOPPED");
        assertThat(act(id, "stop").text("state")).as("stop repeats cleanup on STOPPED").isEqualTo("STOPPED");
        assertThat(act(id, "start").text("state")).isEqualTo("RUNNING");

        Response status = cp.get("/api/v1/replications/" + id + "/status");
        assertThat(status.status()).isEqualTo(200);
        assertThat(status.text("state")).isEqualTo("RUNNING");
        assertThat(status.text("workerId")).isNull();
        assertThat(cp.get("/api/v1/replications/" + UNKNOWN + "/status").status()).isEqualTo(404);
        assertThat(cp.post("/api/v1/replications/" + UNKNOWN + "/start", "").status()).isEqualTo(404);
    }

    @Test
    void routeIsTheDeclaredPrimaryElseTheReplicationSource() {
        fx.tenant("routed");
        assertThat(cp.get("/api/v1/tenants/routed/route").status()).isEqualTo(404);
        fx.replication("routed", source, target);
        Response byReplication = cp.get("/api/v1/tenants/routed/route");
        assertThat(byReplication.text("primaryEndpointId")).isEqualTo(source);
        assertThat(byReplication.text("basis")).isEqualTo("REPLICATION_SOURCE");
        assertThat(byReplication.json().get("routingEpoch").asLong()).isEqualTo(1);

        cp.put("/api/v1/tenants/routed", Json.of("name", "Routed", "primaryEndpointId", target));
        Response declared = cp.get("/api/v1/tenants/routed/route");
        assertThat(declared.text("primaryEndpointId")).isEqualTo(target);
        assertThat(declared.text("region")).isEqualTo("eu-repl-tgt");
        assertThat(declared.json().get("routingEpoch").asLong()).isEqualTo(2);
        assertThat(cp.get("/api/v1/tenants/nobody/route").status()).isEqualTo(404);
    }

    @Test
    void stopDropsTheSlotAndPublicationAndFencesTheCheckpointForAFreshCopy() throws SQLException {
        fx.tenant("stopper");
        String id = fx.replication("stopper", source, target);
        act(id, "start");
        String name = "helios_" + id.replace("-", "");
        createSlotAndPublication(name);
        createCheckpoint(id);

        assertThat(act(id, "stop").text("state")).isEqualTo("STOPPED");
        assertThat(count("repl_src", "SELECT count(*) FROM pg_replication_slots WHERE slot_name = '" + name + "'")).isZero();
        assertThat(count("repl_src", "SELECT count(*) FROM pg_publication WHERE pubname = '" + name + "'")).isZero();
        // the row stays, without a position, at an epoch past every lease granted so far: no older worker commits
        assertThat(count("repl_tgt", "SELECT count(*) FROM helios.replication_checkpoint WHERE replication_id = '"
                + id + "' AND lsn IS NULL AND state = 'NEEDS_COPY' AND lease_epoch >= 1")).isOne();
    }

    @Test
    void stopEndsAWalsenderStillStreamingFromTheSlot() throws Exception {
        fx.tenant("streamer");
        String id = fx.replication("streamer", source, target);
        act(id, "start");
        String name = "helios_" + id.replace("-", "");
        createSlotAndPublication(name);
        var pg = RunningControlPlane.cluster();
        Connection replication = new PgEndpoint(pg.jdbcUrl("repl_src"), pg.user(), pg.password()).openReplication();
        PGReplicationStream stream = replication.unwrap(PGConnection.class).getReplicationAPI().replicationStream()
                .logical().withSlotName(name).withSlotOption("proto_version", "1")
                .withSlotOption("publication_names", name).start();
        try {
            await().atMost(Duration.ofSeconds(10)).until(() -> count("repl_src",
                    "SELECT count(*) FROM pg_replication_slots WHERE active AND slot_name = '" + name + "'") == 1);
            assertThat(act(id, "stop").text("state")).isEqualTo("STOPPED");
            assertThat(count("repl_src", "SELECT count(*) FROM pg_replication_slots WHERE slot_name = '" + name + "'"))
                    .isZero();
        } finally {
            try (replication) {
                stream.close();
            } catch (SQLException expected) {
                // the walsender was terminated by the stop: closing finds a broken connection
            }
        }
    }

    @Test
    void deleteFromAnyStateDropsTheSlotThenForgetsTheReplication() throws SQLException {
        fx.tenant("deleter");
        String id = fx.replication("deleter", source, target);
        act(id, "start");
        act(id, "pause");
        String name = "helios_" + id.replace("-", "");
        createSlotAndPublication(name);

        assertThat(cp.delete("/api/v1/replications/" + id).status()).isEqualTo(204);
        assertThat(count("repl_src", "SELECT count(*) FROM pg_replication_slots WHERE slot_name = '" + name + "'")).isZero();
        assertThat(cp.get("/api/v1/replications/" + id).status()).isEqualTo(404);
    }

    @Test
    void whatAReplicationUsesCannotBeRemovedUntilTheReplicationIsGone() {
        String src = fx.endpoint("in-use-src", "in_use_src");
        String tgt = fx.endpoint("in-use-tgt", "in_use_tgt");
        fx.tenant("holder");
        assertThat(cp.put("/api/v1/tenants/holder", Json.of("name", "Holder", "primaryEndpointId", tgt)).status())
                .isEqualTo(200);
        Response policy = cp.post("/api/v1/qos-policies", Json.of("name", "in-use", "tier", "STANDARD",
                "maxLagMs", 1000, "compression", "LOW", "priority", 10));
        assertThat(policy.status()).as(policy.toString()).isEqualTo(201);
        String qos = policy.text("id");
        Response created = cp.post("/api/v1/replications", Json.of("tenantId", "holder", "sourceEndpointId", src,
                "targetEndpointId", tgt, "tenancyModel", "SCHEMA", "sourceSchema", "public", "qosPolicyId", qos));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);

        expectInUse("/api/v1/endpoints/" + src, "endpoint-in-use", "is used by 1 replication(s)");
        expectInUse("/api/v1/endpoints/" + tgt, "endpoint-in-use", "the primary of 1 tenant(s)");
        expectInUse("/api/v1/tenants/holder", "tenant-in-use", "has 1 replication(s)");
        expectInUse("/api/v1/qos-policies/" + qos, "qos-policy-in-use", "is used by 1 replication(s)");

        assertThat(cp.delete("/api/v1/replications/" + created.text("id") + "?force=true").status()).isEqualTo(204);
        assertThat(cp.delete("/api/v1/qos-policies/" + qos).status()).isEqualTo(204);
        assertThat(cp.delete("/api/v1/endpoints/" + src).status()).isEqualTo(204);
        expectInUse("/api/v1/endpoints/" + tgt, "endpoint-in-use", "is the primary of 1 tenant(s)");
        assertThat(cp.delete("/api/v1/tenants/holder").status()).isEqualTo(204);
        assertThat(cp.delete("/api/v1/endpoints/" + tgt).status()).isEqualTo(204);
    }

    private static void expectInUse(String path, String type, String detail) {
        Response r = cp.delete(path);
        assertThat(r.status()).as(r.toString()).isEqualTo(409);
        assertThat(r.text("type")).endsWith("/" + type);
        assertThat(r.text("detail")).as(r.toString()).contains(detail);
    }

    private static Response act(String id, String action) {
        Response r = cp.post("/api/v1/replications/" + id + "/" + action, "");
        assertThat(r.status()).as(action + ": " + r).isEqualTo(200);
        return r;
    }

    private static void expectIllegal(String id, String action, String detail) {
        Response r = cp.post("/api/v1/replications/" + id + "/" + action, "");
        assertThat(r.status()).as(r.toString()).isEqualTo(409);
        assertThat(r.text("type")).endsWith("/illegal-transition");
        assertThat(r.text("detail")).contains(detail);
    }

    private static void expectProblem(String body, int status, String detail) {
        Response r = cp.post("/api/v1/replications", body);
        assertThat(r.status()).as(r.toString()).isEqualTo(status);
        assertThat(r.contentType()).contains("application/problem+json");
        assertThat(r.text("detail")).as(r.toString()).contains(detail);
    }

    private static String body(String tenant, String src, String tgt, String model, String schema, List<String> include,
                               String discriminator) {
        return Json.of("tenantId", tenant, "sourceEndpointId", src, "targetEndpointId", tgt, "tenancyModel", model,
                "sourceSchema", schema, "includeTables", include, "discriminatorColumn", discriminator);
    }

    private static void createSlotAndPublication(String name) throws SQLException {
        try (Connection c = RunningControlPlane.cluster().connect("repl_src"); Statement s = c.createStatement()) {
            s.execute("SELECT pg_create_logical_replication_slot('" + name + "', 'pgoutput')");
            s.execute("CREATE PUBLICATION " + name + " FOR ALL TABLES");
        }
    }

    private static void createCheckpoint(String id) throws SQLException {
        try (Connection c = RunningControlPlane.cluster().connect("repl_tgt"); Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA IF NOT EXISTS helios");
            // the table as workers before copy fencing made it: the cleanup migrates it
            s.execute("CREATE TABLE IF NOT EXISTS helios.replication_checkpoint (replication_id text PRIMARY KEY,"
                    + " lsn pg_lsn NOT NULL, lease_epoch bigint NOT NULL, source_commit_time timestamptz,"
                    + " updated_at timestamptz NOT NULL DEFAULT now())");
            s.execute("INSERT INTO helios.replication_checkpoint (replication_id, lsn, lease_epoch) VALUES ('" + id
                    + "', '0/1', 1)");
        }
    }

    private static long count(String db, String sql) throws SQLException {
        try (Connection c = RunningControlPlane.cluster().connect(db); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
