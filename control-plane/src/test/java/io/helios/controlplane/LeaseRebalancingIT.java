package io.helios.controlplane;

import io.helios.controlplane.RunningControlPlane.Response;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Leases that move, with fake heartbeats and a hand-moved clock: a joining worker receives its
 * fair share after the minimum dwell time and no more (no flapping), no replication is ever
 * held at its current epoch by two workers, a leaving worker's leases are free at once, and
 * leases of silent workers expire on the schedule when nobody heartbeats.
 */
class LeaseRebalancingIT {

    private static final MutableClock CLOCK = new MutableClock(Instant.parse("2031-01-01T00:00:00Z"));
    private static final Duration STEP = Duration.ofSeconds(11); // < ttl 15 s: renewing workers stay live

    private static RunningControlPlane cp;
    private static Fixtures fx;
    private static String source;
    private static String target;

    /** Each worker's latest heartbeat answer: replication id to epoch. */
    private final Map<String, Map<String, Long>> answers = new HashMap<>();

    @BeforeAll
    static void start() {
        cp = RunningControlPlane.start("lease_rebalancing", Map.of("helios.leases.ttl", "15s",
                "helios.leases.min-dwell", "20s", "helios.leases.max-moves", "2",
                "helios.leases.expiry-interval", "200ms"), CLOCK);
        fx = new Fixtures(cp);
        source = fx.endpoint("rebalance-src", "rebalance_src");
        target = fx.endpoint("rebalance-tgt", "rebalance_tgt");
    }

    @AfterAll
    static void stop() {
        cp.close();
    }

    @Test
    void aJoiningWorkerReceivesItsFairShareAfterTheDwellTimeWithoutFlapping() throws Exception {
        CLOCK.advance(Duration.ofSeconds(16)); // workers and leases of other tests are gone
        List<String> workers = List.of("scale-a", "scale-b", "scale-c");
        workers.forEach(w -> beat(w, 10));
        List<String> ids = running("scale", 12);
        workers.forEach(w -> beat(w, 10));
        workers.forEach(w -> assertThat(answers.get(w)).as(w).hasSize(4));
        assertExclusive();

        beat("scale-d", 10);
        assertThat(answers.get("scale-d")).as("leases younger than the dwell time stay").isEmpty();
        CLOCK.advance(STEP);
        beatAll(List.of("scale-a", "scale-b", "scale-c", "scale-d"));
        assertThat(answers.get("scale-d")).isEmpty();

        CLOCK.advance(STEP); // the first grants are now 22 s old: past the 20 s dwell
        beat("scale-d", 10);
        assertThat(answers.get("scale-d")).as("at most max-moves per heartbeat").hasSize(2);
        beatAll(List.of("scale-a", "scale-b", "scale-c", "scale-d"));
        beatAll(List.of("scale-a", "scale-b", "scale-c")); // the last donor learns of its loss
        for (String w : List.of("scale-a", "scale-b", "scale-c", "scale-d")) {
            assertThat(answers.get(w)).as(w).hasSize(3);
        }
        Map<String, Long> balanced = epochsOf(ids);

        for (int i = 0; i < 3; i++) {
            CLOCK.advance(STEP);
            beatAll(List.of("scale-d", "scale-a", "scale-b", "scale-c"));
        }
        assertThat(epochsOf(ids)).as("once balanced, nothing moves").isEqualTo(balanced);
        stopAll(ids);
    }

    @Test
    void aLeavingWorkerReleasesItsLeasesAndTheOthersTakeThemAtOnce() throws Exception {
        CLOCK.advance(Duration.ofSeconds(16));
        List<String> workers = List.of("leave-a", "leave-b", "leave-c");
        workers.forEach(w -> beat(w, 10));
        List<String> ids = running("leave", 6);
        workers.forEach(w -> beat(w, 10));
        Map<String, Long> before = new HashMap<>(answers.get("leave-c"));
        assertThat(before).hasSize(2);
        double released = counter("helios.leases.released");

        Response left = cp.post("/api/v1/workers/leave-c/heartbeat",
                Json.of("address", "http://leave-c:8082", "capacity", 10, "reports", new Json.RawJson("[]"),
                        "leaving", true));
        assertThat(left.status()).as(left.toString()).isEqualTo(200);
        assertThat(left.json().get("leases")).isEmpty();
        answers.remove("leave-c");
        assertThat(counter("helios.leases.released")).isEqualTo(released + 2);
        assertThat(leaseTable().keySet()).doesNotContainAnyElementsOf(before.keySet());
        assertThat(cp.get("/api/v1/workers").body()).doesNotContain("leave-c");

        beat("leave-a", 10); // no clock movement: the leaving worker no longer counts as live
        beat("leave-b", 10);
        assertThat(answers.get("leave-a")).hasSize(3);
        assertThat(answers.get("leave-b")).hasSize(3);
        for (Map.Entry<String, Long> e : before.entrySet()) {
            assertThat(leaseTable().get(e.getKey()).epoch()).isGreaterThan(e.getValue());
        }
        assertExclusive();
        stopAll(ids);
    }

    @Test
    void leasesOfSilentWorkersExpireOnTheScheduleWithoutAnyHeartbeat() throws Exception {
        CLOCK.advance(Duration.ofSeconds(16));
        List<String> ids = running("silent", 2);
        beat("silent-x", 10);
        assertThat(answers.get("silent-x")).hasSize(2);
        assertThat(cp.get("/api/v1/replications/" + ids.get(0) + "/status").text("workerId")).isEqualTo("silent-x");
        double expired = counter("helios.leases.expired");

        CLOCK.advance(Duration.ofSeconds(16)); // every worker silent past the ttl; nobody heartbeats
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            for (String id : ids) {
                assertThat(cp.get("/api/v1/replications/" + id + "/status").text("workerId")).as(id).isNull();
            }
            assertThat(counter("helios.leases.expired")).isGreaterThanOrEqualTo(expired + 2);
            assertThat(cp.bean(MeterRegistry.class).get("helios.leases.held").gauge().value()).isZero();
        });
        stopAll(ids);
    }

    private void beatAll(List<String> workers) throws SQLException {
        for (String w : workers) {
            beat(w, 10);
            assertExclusive();
        }
    }

    private void beat(String worker, int capacity) {
        String body = Json.of("address", "http://" + worker + ":8082", "capacity", capacity,
                "reports", new Json.RawJson("[]"));
        Response r = cp.post("/api/v1/workers/" + worker + "/heartbeat", body);
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        Map<String, Long> held = new LinkedHashMap<>();
        for (JsonNode lease : r.json().get("leases")) {
            held.put(lease.get("spec").get("replicationId").asString(), lease.get("epoch").asLong());
        }
        answers.put(worker, held);
    }

    /**
     * No replication is held at its current epoch by two workers, and the one worker answered
     * the current epoch is the lease's holder. (A former holder may still list an older epoch
     * until its next heartbeat: the target's checkpoint refuses its applies.)
     */
    private void assertExclusive() throws SQLException {
        Map<String, Lease> table = leaseTable();
        Map<String, String> currentHolder = new HashMap<>();
        answers.forEach((worker, held) -> held.forEach((id, epoch) -> {
            Lease lease = table.get(id);
            if (lease != null && lease.epoch() == epoch) {
                String other = currentHolder.put(id, worker);
                assertThat(other).as("replication %s held at epoch %d by %s and %s", id, epoch, other, worker).isNull();
                assertThat(lease.worker()).isEqualTo(worker);
            }
        }));
    }

    private record Lease(String worker, long epoch) {
    }

    private static Map<String, Lease> leaseTable() throws SQLException {
        Map<String, Lease> out = new HashMap<>();
        try (Connection c = cp.connectOwnDatabase();
             ResultSet rs = c.createStatement().executeQuery("SELECT replication_id, worker_id, epoch FROM lease")) {
            while (rs.next()) {
                out.put(rs.getString(1), new Lease(rs.getString(2), rs.getLong(3)));
            }
        }
        return out;
    }

    private static Map<String, Long> epochsOf(List<String> ids) throws SQLException {
        Map<String, Long> out = new HashMap<>();
        leaseTable().forEach((id, lease) -> {
            if (ids.contains(id)) {
                out.put(id, lease.epoch());
            }
        });
        return out;
    }

    private static double counter(String name) {
        return cp.bean(MeterRegistry.class).get(name).counter().count();
    }

    private static List<String> running(String prefix, int n) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String tenant = fx.tenant(prefix + "-" + i);
            String id = fx.replication(tenant, source, target);
            assertThat(cp.post("/api/v1/replications/" + id + "/start", "").status()).isEqualTo(200);
            ids.add(id);
        }
        return ids;
    }

    private static void stopAll(List<String> ids) {
        for (String id : ids) {
            Response stopped = cp.post("/api/v1/replications/" + id + "/stop", "");
            assertThat(stopped.status()).as(stopped.toString()).isEqualTo(200);
        }
    }
}
