package io.helios.controlplane;

import io.helios.controlplane.RunningControlPlane.Response;
import io.helios.security.Role;
import io.helios.testsupport.TestTokens;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each worker acts only as itself: the worker id comes from its credential (subject
 * {@code worker:<id>}), so worker A's token cannot heartbeat as B (403, audited), never receives
 * B's grants, and cannot report on B's lease; a worker token that names no worker is refused.
 * Real control plane, real HTTP, real PostgreSQL.
 */
class WorkerIdentityIT {

    private static final String BEAT = "{\"capacity\":10,\"reports\":[]}";

    private static RunningControlPlane cp;
    private static Fixtures fx;
    private static String source;
    private static String target;

    @BeforeAll
    static void start() {
        // a TTL long enough that no lease expires in the middle of a test
        cp = RunningControlPlane.start("worker_identity", Map.of("helios.leases.ttl", "60s"), null);
        fx = new Fixtures(cp);
        source = fx.endpoint("ident-src", "ident_src");
        target = fx.endpoint("ident-tgt", "ident_tgt");
    }

    @AfterAll
    static void stop() {
        cp.close();
    }

    @Test
    void aWorkersTokenCannotHeartbeatAsAnotherWorkerAndTheRefusalIsAudited() {
        Response refused = cp.as(TestTokens.worker("ident-a")).post("/api/v1/workers/ident-b/heartbeat", BEAT);
        assertThat(refused.status()).as(refused.toString()).isEqualTo(403);
        assertThat(refused.contentType()).startsWith("application/problem+json");
        assertThat(refused.text("type")).isEqualTo("https://helios.io/problems/worker-identity");
        assertThat(refused.text("detail")).contains("'ident-a'", "'ident-b'");
        assertThat(cp.get("/api/v1/workers").body()).as("nothing registered for B").doesNotContain("ident-b");

        JsonNode audit = cp.get("/api/v1/audit?targetId=ident-b").json().get("items");
        assertThat(audit).hasSize(1);
        assertThat(audit.get(0).get("status").asInt()).isEqualTo(403);
        assertThat(audit.get(0).get("subject").asString()).isEqualTo("worker:ident-a");
        assertThat(audit.get(0).get("path").asString()).isEqualTo("/api/v1/workers/ident-b/heartbeat");
    }

    @Test
    void aWorkerNeverReceivesAnotherWorkersGrants() {
        String r = running("ident-grants");
        String b = TestTokens.worker("grants-b");
        JsonNode answerB = beat(b, "grants-b", List.of());
        long epoch = epochOf(answerB, r);
        assertThat(epoch).as("B holds the replication").isPositive();

        Response asB = cp.as(TestTokens.worker("grants-a")).post("/api/v1/workers/grants-b/heartbeat", BEAT);
        assertThat(asB.status()).isEqualTo(403);
        assertThat(asB.body()).doesNotContain(r, "sealedPassword", "jdbc");
        assertThat(epochOf(beat(TestTokens.worker("grants-a"), "grants-a", List.of()), r)).as("A's own answer").isEqualTo(-1);
        assertThat(epochOf(beat(b, "grants-b", List.of()), r)).as("B keeps it").isEqualTo(epoch);
        stop(r);
    }

    @Test
    void aWorkerCannotReportAnotherWorkersLeaseFailedNorItsProgress() {
        String r = running("ident-reports");
        String b = TestTokens.worker("reports-b");
        long epoch = epochOf(beat(b, "reports-b", List.of()), r);
        beat(b, "reports-b", List.of(report(r, epoch, "STREAMING", 7, null)));
        double refusedBefore = refusedReports();

        // A reports B's lease, at B's very epoch: FAILED, then progress; neither is applied
        beat(TestTokens.worker("reports-a"), "reports-a", List.of(report(r, epoch, "FAILED", 999, "forged failure")));
        beat(TestTokens.worker("reports-a"), "reports-a", List.of(report(r, epoch, "STREAMING", 999, null)));
        assertThat(fx.state(r)).isEqualTo("RUNNING");
        Response status = cp.get("/api/v1/replications/" + r + "/status");
        assertThat(status.json().get("rowsApplied").asLong()).isEqualTo(7);
        assertThat(status.text("workerId")).isEqualTo("reports-b");
        assertThat(status.body()).doesNotContain("forged failure");
        assertThat(epochOf(beat(b, "reports-b", List.of()), r)).as("B's lease untouched").isEqualTo(epoch);
        assertThat(refusedReports()).isEqualTo(refusedBefore + 2);

        // a report of B through a heartbeat as B, with A's token, does not even get in
        assertThat(cp.as(TestTokens.worker("reports-a")).post("/api/v1/workers/reports-b/heartbeat",
                beatWith(List.of(report(r, epoch, "FAILED", 1, "forged")))).status()).isEqualTo(403);
        assertThat(fx.state(r)).isEqualTo("RUNNING");
        // B's own FAILED report still counts
        assertThat(epochOf(beat(b, "reports-b", List.of(report(r, epoch, "FAILED", 7, "real failure"))), r)).isEqualTo(-1);
        assertThat(fx.state(r)).isEqualTo("FAILED");
    }

    @Test
    void aTokenThatNamesNoWorkerIsRefused() {
        Map<String, String> refused = Map.of(
                "worker role, subject not worker:<id>", TestTokens.mint("nobody-w", Role.WORKER, null),
                "worker role, empty id", TestTokens.mint("worker:", Role.WORKER, null),
                "worker role, invalid id", TestTokens.mint("worker:a/b", Role.WORKER, null),
                "worker subject without the worker role", TestTokens.mint("worker:nobody-w", Role.ADMIN, null));
        refused.forEach((what, token) -> {
            Response r = cp.as(token).post("/api/v1/workers/nobody-w/heartbeat", BEAT);
            assertThat(r.status()).as(what + ": " + r).isEqualTo(403);
            assertThat(r.contentType()).startsWith("application/problem+json");
        });
        assertThat(cp.as(TestTokens.mint("nobody-w", Role.WORKER, null)).post("/api/v1/workers/nobody-w/heartbeat", BEAT)
                .text("detail")).contains("names no worker");
        assertThat(cp.get("/api/v1/workers").body()).doesNotContain("nobody-w");
        // the token must still be a valid one: an expired worker token is 401 like any other
        String expired = TestTokens.sign(TestTokens.claims("worker:late", Role.WORKER).audience(TestTokens.audience())
                .expirationTime(java.util.Date.from(java.time.Instant.now().minus(Duration.ofMinutes(10)))).build());
        assertThat(cp.as(expired).post("/api/v1/workers/late/heartbeat", BEAT).status()).isEqualTo(401);
    }

    private String running(String tenant) {
        fx.tenant(tenant);
        String id = fx.replication(tenant, source, target);
        assertThat(cp.post("/api/v1/replications/" + id + "/start", "").status()).isEqualTo(200);
        return id;
    }

    private void stop(String r) {
        assertThat(cp.post("/api/v1/replications/" + r + "/stop", "").status()).isEqualTo(200);
    }

    private static JsonNode beat(String token, String worker, List<String> reports) {
        Response r = cp.as(token).post("/api/v1/workers/" + worker + "/heartbeat", beatWith(reports));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return r.json();
    }

    private static String beatWith(List<String> reports) {
        return Json.of("capacity", 10, "reports", new Json.RawJson("[" + String.join(",", reports) + "]"));
    }

    private static String report(String id, long epoch, String phase, long rows, String error) {
        return Json.of("replicationId", id, "epoch", epoch, "phase", phase, "lastAppliedLsn", "0/16B3748",
                "lagP50Millis", 1.5, "lagP99Millis", 7.5, "rowsPerSecond", 100.0, "rowsApplied", rows,
                "transactionsApplied", 3, "copyRowsDone", 10, "copyPercent", 100, "lastError", error);
    }

    /** The epoch of {@code replicationId}'s lease in a heartbeat answer, -1 when it is not there. */
    private static long epochOf(JsonNode answer, String replicationId) {
        for (JsonNode lease : answer.get("leases")) {
            if (lease.get("spec").get("replicationId").asString().equals(replicationId)) {
                return lease.get("epoch").asLong();
            }
        }
        return -1;
    }

    private static double refusedReports() {
        for (String line : cp.as("").get("/actuator/prometheus").body().split("\n")) {
            if (line.startsWith("helios_leases_reports_refused_total")) {
                return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        throw new AssertionError("no helios_leases_reports_refused_total in the scrape");
    }
}
