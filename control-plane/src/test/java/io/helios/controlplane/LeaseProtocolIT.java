package io.helios.controlplane;

import io.helios.controlplane.RunningControlPlane.Response;
import io.helios.testsupport.Broker;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import io.helios.core.secret.SecretBox;
import org.springframework.amqp.core.AnonymousQueue;
import org.springframework.amqp.core.BindingBuilder;
import org.springframework.amqp.core.FanoutExchange;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import tools.jackson.databind.JsonNode;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The worker lease protocol over REST with a hand-moved clock: grants with growing epochs,
 * expiry after the ttl and handover, zombie reports ignored, failure releases the lease, and
 * assignment events on the broker.
 */
class LeaseProtocolIT {

    private static final MutableClock CLOCK = new MutableClock(Instant.parse("2030-01-01T00:00:00Z"));

    private static RunningControlPlane cp;
    private static Fixtures fx;
    private static String source;
    private static String target;

    @BeforeAll
    static void start() {
        cp = RunningControlPlane.start("lease_protocol", Map.of("helios.leases.ttl", "15s"), CLOCK);
        fx = new Fixtures(cp);
        source = fx.endpoint("lease-src", "lease_src");
        target = fx.endpoint("lease-tgt", "lease_tgt");
    }

    @AfterAll
    static void stop() {
        cp.close();
    }

    @Test
    void silentWorkerLosesItsLeasesToAnotherWorkerWithHigherEpochs() {
        CLOCK.advance(Duration.ofSeconds(16)); // workers of other tests are no longer live: fair share = all
        String r1 = running("lease-a");
        String r2 = running("lease-b");

        JsonNode a = beat("worker-a", 10, List.of());
        Map<String, Long> epochsA = epochs(a, r1, r2);
        assertThat(epochsA).containsOnlyKeys(r1, r2);
        assertThat(a.get("leaseTtlMillis").asLong()).isEqualTo(15_000);
        assertThat(a.get("heartbeatIntervalMillis").asLong()).isEqualTo(3_000);
        JsonNode grant = grantFor(a, r1);
        assertThat(grant.get("desiredState").asString()).isEqualTo("RUNNING");
        assertThat(grant.get("spec").get("source").get("sealedPassword").asString()).isNotBlank()
                .isNotEqualTo(RunningControlPlane.cluster().password());
        assertThat(grant.get("spec").get("includeTables").get(0).asString()).isEqualTo("orders*");

        assertThat(epochs(beat("worker-b", 10, List.of()), r1, r2)).isEmpty();

        CLOCK.advance(Duration.ofSeconds(16));
        Map<String, Long> epochsB = epochs(beat("worker-b", 10, List.of()), r1, r2);
        assertThat(epochsB).containsOnlyKeys(r1, r2);
        assertThat(epochsB.get(r1)).isGreaterThan(epochsA.get(r1));
        assertThat(epochsB.get(r2)).isGreaterThan(epochsA.get(r2));
        assertThat(epochs(beat("worker-a", 10, List.of()), r1, r2)).isEmpty();

        Response status = cp.get("/api/v1/replications/" + r1 + "/status");
        assertThat(status.text("workerId")).isEqualTo("worker-b");
        stopBoth(r1, r2);
    }

    @Test
    void liveWorkersShareTheReplicationsWithinTheirCapacity() {
        CLOCK.advance(Duration.ofSeconds(16));
        String r1 = running("share-a");
        String r2 = running("share-b");
        String r3 = running("share-c");
        beat("worker-d", 0, List.of()); // registered and live, but takes nothing yet
        beat("worker-e", 0, List.of());
        assertThat(epochs(beat("worker-small", 1, List.of()), r1, r2, r3)).as("capacity bound").hasSize(1);
        // 3 active replications, 3 live workers: a fair share of 1 each, whatever their capacity
        assertThat(epochs(beat("worker-d", 10, List.of()), r1, r2, r3)).hasSize(1);
        assertThat(epochs(beat("worker-e", 10, List.of()), r1, r2, r3)).hasSize(1);
        stopBoth(r1, r2);
        stopBoth(r3, r3);
    }

    @Test
    void grantedSpecCarriesPasswordsSealedForTheWorkerKeyring() {
        CLOCK.advance(Duration.ofSeconds(16));
        String r = running("sealed");
        JsonNode spec = grantFor(beat("worker-f", 5, List.of()), r).get("spec");
        JsonNode src = spec.get("source");
        SecretBox workerKeyring = new SecretBox("test-1", Map.of("test-1", RunningControlPlane.TEST_KEY));
        byte[] sealed = Base64.getDecoder().decode(src.get("sealedPassword").asString());
        assertThat(workerKeyring.open(sealed, "endpoint:" + src.get("id").asString()))
                .isEqualTo(RunningControlPlane.cluster().password());
        assertThat(spec.get("tenancyModel").asString()).isEqualTo("SCHEMA");
        assertThat(spec.get("conflictStrategy").asString()).isEqualTo("ERROR");
        assertThat(spec.get("maxBatchRows").asInt()).isPositive();
        stopBoth(r, r);
    }

    @Test
    void reportsCountOnlyFromTheHolderAtItsEpochAndFailureReleasesTheLease() {
        CLOCK.advance(Duration.ofSeconds(16));
        String r = running("lease-report");
        JsonNode answer = beat("worker-c", 5, List.of());
        long epoch = grantFor(answer, r).get("epoch").asLong();

        beat("worker-c", 5, List.of(report(r, epoch, "STREAMING", 42, null)));
        beat("worker-zombie", 5, List.of(report(r, epoch - 1, "STREAMING", 999, "zombie")));
        Response status = cp.get("/api/v1/replications/" + r + "/status");
        assertThat(status.json().get("rowsApplied").asLong()).isEqualTo(42);
        assertThat(status.text("phase")).isEqualTo("STREAMING");
        assertThat(status.text("lastAppliedLsn")).isEqualTo("0/16B3748");
        assertThat(status.json().get("lagP99Ms").asDouble()).isEqualTo(7.5);
        assertThat(status.json().get("copy").get("phase").asString()).isEqualTo("DONE");

        assertThat(cp.post("/api/v1/replications/" + r + "/pause", "").status()).isEqualTo(200);
        assertThat(grantFor(beat("worker-c", 5, List.of()), r).get("desiredState").asString()).isEqualTo("PAUSED");
        assertThat(cp.post("/api/v1/replications/" + r + "/resume", "").status()).isEqualTo(200);

        JsonNode afterFailure = beat("worker-c", 5, List.of(report(r, epoch, "FAILED", 42, "column x missing")));
        assertThat(grantFor(afterFailure, r)).isNull();
        assertThat(fx.state(r)).isEqualTo("FAILED");
        assertThat(cp.get("/api/v1/replications/" + r + "/status").text("lastError")).isEqualTo("column x missing");
        assertThat(grantFor(beat("worker-c", 5, List.of()), r)).as("a failed replication is not retried").isNull();

        assertThat(cp.post("/api/v1/replications/" + r + "/start", "").status()).isEqualTo(200);
        JsonNode restarted = grantFor(beat("worker-c", 5, List.of()), r);
        assertThat(restarted.get("epoch").asLong()).isGreaterThan(epoch + 1);
        stopBoth(r, r);
    }

    @Test
    void assignmentChangesArePublishedOnTheFanoutExchange() {
        Broker.require();
        CachingConnectionFactory cf = new CachingConnectionFactory(Broker.HOST, Broker.PORT);
        try {
            RabbitAdmin admin = new RabbitAdmin(cf);
            FanoutExchange exchange = new FanoutExchange("helios.assignments", true, false);
            admin.declareExchange(exchange);
            Queue queue = new AnonymousQueue();
            admin.declareQueue(queue);
            admin.declareBinding(BindingBuilder.bind(queue).to(exchange));
            String r = running("lease-event");
            RabbitTemplate rabbit = new RabbitTemplate(cf);
            AtomicReference<String> seen = new AtomicReference<>();
            await().atMost(Duration.ofSeconds(20)).until(() -> {
                Message m = rabbit.receive(queue.getName(), 500);
                if (m != null && new String(m.getBody(), StandardCharsets.UTF_8).contains(r)) {
                    seen.set(new String(m.getBody(), StandardCharsets.UTF_8));
                }
                return seen.get() != null;
            });
            assertThat(seen.get()).contains("\"type\":\"AssignmentsChanged\"").contains("replication start");
            stopBoth(r, r);
        } finally {
            cf.destroy();
        }
    }

    private String running(String tenant) {
        fx.tenant(tenant);
        String id = fx.replication(tenant, source, target);
        assertThat(cp.post("/api/v1/replications/" + id + "/start", "").status()).isEqualTo(200);
        return id;
    }

    private void stopBoth(String r1, String r2) {
        for (String r : new String[]{r1, r2}) {
            Response stopped = cp.post("/api/v1/replications/" + r + "/stop", "");
            assertThat(stopped.status()).as(stopped.toString()).isEqualTo(200);
        }
    }

    private static JsonNode beat(String worker, int capacity, List<String> reports) {
        String body = Json.of("address", "http://" + worker + ":8082", "capacity", capacity,
                "reports", new Json.RawJson("[" + String.join(",", reports) + "]"));
        Response r = cp.post("/api/v1/workers/" + worker + "/heartbeat", body);
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return r.json();
    }

    private static String report(String id, long epoch, String phase, long rows, String error) {
        return Json.of("replicationId", id, "epoch", epoch, "phase", phase, "lastAppliedLsn", "0/16B3748",
                "lagP50Millis", 1.5, "lagP99Millis", 7.5, "rowsPerSecond", 100.0, "rowsApplied", rows,
                "transactionsApplied", 3, "copyRowsDone", 10, "copyPercent", 100, "lastError", error);
    }

    private static JsonNode grantFor(JsonNode answer, String replicationId) {
        for (JsonNode lease : answer.get("leases")) {
            if (lease.get("spec").get("replicationId").asString().equals(replicationId)) {
                return lease;
            }
        }
        return null;
    }

    private static Map<String, Long> epochs(JsonNode answer, String... ids) {
        Map<String, Long> out = new HashMap<>();
        List<String> wanted = new ArrayList<>(List.of(ids));
        for (JsonNode lease : answer.get("leases")) {
            String id = lease.get("spec").get("replicationId").asString();
            if (wanted.contains(id)) {
                out.put(id, lease.get("epoch").asLong());
            }
        }
        return out;
    }
}
