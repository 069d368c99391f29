package io.helios.controlplane;

import io.helios.controlplane.RunningControlPlane.Response;
import io.helios.core.secret.SecretBox;
import io.helios.security.Role;
import io.helios.testsupport.Broker;
import io.helios.testsupport.TestTokens;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.core.AnonymousQueue;
import org.springframework.amqp.core.BindingBuilder;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.core.TopicExchange;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.amqp.rabbit.core.RabbitTemplate;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What the internal services (migration, failover) get from the control plane and nobody else
 * does: an endpoint's connection with its password still sealed, and the compare-and-set move of
 * a tenant's route, announced on the events exchange.
 */
class ServiceAccessIT {

    private static RunningControlPlane cp;
    private static Fixtures fx;
    private static String service;
    private static String regionA;
    private static String regionB;
    private static String elsewhere;

    @BeforeAll
    static void start() {
        cp = RunningControlPlane.start("service_access", Map.of(), null);
        fx = new Fixtures(cp);
        service = TestTokens.service("test-migration");
        regionA = fx.endpoint("svc-a", "svc_a");
        regionB = fx.endpoint("svc-b", "svc_b");
        elsewhere = fx.endpoint("svc-c", "svc_c");
    }

    @AfterAll
    static void stop() {
        cp.close();
    }

    @Test
    void onlyAServiceReadsAConnectionAndThePasswordArrivesSealed() {
        Response r = cp.as(service).get("/api/v1/internal/endpoints/" + regionA + "/connection");
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.text("jdbcUrl")).contains("svc_a");
        String password = RunningControlPlane.cluster().password();
        assertThat(r.json().has("password")).isFalse();
        assertThat(r.text("sealedPassword")).isNotEqualTo(password);
        SecretBox box = new SecretBox("test-1", Map.of("test-1", RunningControlPlane.TEST_KEY));
        String opened = box.open(Base64.getDecoder().decode(r.text("sealedPassword")), "endpoint:" + regionA);
        assertThat(opened).isEqualTo(password);

        for (String token : List.of(TestTokens.admin(), TestTokens.operator(), TestTokens.viewer(), TestTokens.worker(),
                TestTokens.mint("acme-admin", Role.ADMIN, List.of("acme")))) {
            Response refused = cp.as(token).get("/api/v1/internal/endpoints/" + regionA + "/connection");
            assertThat(refused.status()).as(refused.toString()).isEqualTo(403);
            assertThat(refused.body()).doesNotContain("sealedPassword");
        }
        assertThat(cp.as(service).get("/api/v1/internal/endpoints/00000000-0000-0000-0000-000000000000/connection").status())
                .isEqualTo(404);
    }

    @Test
    void aMoveIsACompareAndSetOnTheRoutingEpochAndIsAnnounced() throws Exception {
        Broker.require();
        declared("svc-acme", regionA);
        CachingConnectionFactory cf = new CachingConnectionFactory(Broker.HOST, Broker.PORT);
        try {
            RabbitAdmin admin = new RabbitAdmin(cf);
            TopicExchange events = new TopicExchange("helios.events", true, false);
            admin.declareExchange(events);
            Queue queue = new AnonymousQueue();
            admin.declareQueue(queue);
            admin.declareBinding(BindingBuilder.bind(queue).to(events).with("tenant.route.changed"));

            long epoch = cp.get("/api/v1/tenants/svc-acme/route").json().get("routingEpoch").asLong();
            Response moved = cp.as(service).post("/api/v1/internal/tenants/svc-acme/route",
                    Json.of("primaryEndpointId", regionB, "expectedEpoch", epoch, "reason", "migration m1 cutover"));
            assertThat(moved.status()).as(moved.toString()).isEqualTo(200);
            assertThat(moved.json().get("routingEpoch").asLong()).isEqualTo(epoch + 1);
            assertThat(moved.text("primaryEndpointId")).isEqualTo(regionB);
            Response route = cp.get("/api/v1/tenants/svc-acme/route");
            assertThat(route.text("primaryEndpointId")).isEqualTo(regionB);
            assertThat(route.json().get("routingEpoch").asLong()).isEqualTo(epoch + 1);

            RabbitTemplate rabbit = new RabbitTemplate(cf);
            AtomicReference<String> seen = new AtomicReference<>();
            await().atMost(Duration.ofSeconds(20)).until(() -> {
                Message m = rabbit.receive(queue.getName(), 500);
                if (m != null) {
                    String body = new String(m.getBody(), StandardCharsets.UTF_8);
                    if (body.contains("svc-acme")) {
                        seen.set(body);
                    }
                }
                return seen.get() != null;
            });
            assertThat(seen.get()).contains("\"type\":\"tenant.route.changed\"").contains("\"routingEpoch\":" + (epoch + 1))
                    .contains("\"primaryEndpointId\":\"" + regionB + "\"").contains("\"previousEndpointId\":\"" + regionA + "\"")
                    .contains("migration m1 cutover");

            // a mover that read the old epoch loses, and says why
            Response stale = cp.as(service).post("/api/v1/internal/tenants/svc-acme/route",
                    Json.of("primaryEndpointId", regionA, "expectedEpoch", epoch));
            assertThat(stale.status()).as(stale.toString()).isEqualTo(409);
            assertThat(stale.contentType()).startsWith("application/problem+json");
            assertThat(stale.text("type")).endsWith("stale-routing-epoch");
            assertThat(stale.text("detail")).contains("routing epoch " + (epoch + 1));
        } finally {
            cf.destroy();
        }
    }

    @Test
    void ofConcurrentMoversHoldingTheSameEpochExactlyOneWins() throws Exception {
        declared("svc-race", regionA);
        long epoch = cp.get("/api/v1/tenants/svc-race/route").json().get("routingEpoch").asLong();
        CountDownLatch go = new CountDownLatch(1);
        List<CompletableFuture<Integer>> movers = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            String to = i % 2 == 0 ? regionB : regionA;
            movers.add(CompletableFuture.supplyAsync(() -> {
                try {
                    go.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return cp.as(service).post("/api/v1/internal/tenants/svc-race/route",
                        Json.of("primaryEndpointId", to, "expectedEpoch", epoch)).status();
            }));
        }
        go.countDown();
        List<Integer> statuses = new ArrayList<>();
        for (CompletableFuture<Integer> m : movers) {
            statuses.add(m.get(60, TimeUnit.SECONDS));
        }
        assertThat(statuses).filteredOn(s -> s == 200).hasSize(1);
        assertThat(statuses).filteredOn(s -> s == 409).hasSize(5);
        assertThat(cp.get("/api/v1/tenants/svc-race/route").json().get("routingEpoch").asLong()).isEqualTo(epoch + 1);
    }

    @Test
    void onlyAServiceMovesARouteAndOnlyToAnEndpointTheTenantUses() {
        declared("svc-guard", regionA);
        String body = Json.of("primaryEndpointId", regionB, "expectedEpoch", 1);
        for (String token : List.of(TestTokens.admin(), TestTokens.operator(), TestTokens.viewer(), TestTokens.worker(),
                TestTokens.mint("guard-admin", Role.ADMIN, List.of("svc-guard")))) {
            Response r = cp.as(token).post("/api/v1/internal/tenants/svc-guard/route", body);
            assertThat(r.status()).as(r.toString()).isEqualTo(403);
        }
        // "elsewhere" is used by no replication of svc-guard, and neither owned by nor granted to it
        Response foreign = cp.as(service).post("/api/v1/internal/tenants/svc-guard/route",
                Json.of("primaryEndpointId", elsewhere, "expectedEpoch", 1));
        assertThat(foreign.status()).as(foreign.toString()).isEqualTo(403);
        assertThat(foreign.text("detail")).contains("svc-guard");
        Response unknownTenant = cp.as(service).post("/api/v1/internal/tenants/nobody/route", body);
        assertThat(unknownTenant.status()).isEqualTo(404);
        Response unknownEndpoint = cp.as(service).post("/api/v1/internal/tenants/svc-guard/route",
                Json.of("primaryEndpointId", "00000000-0000-0000-0000-000000000000", "expectedEpoch", 1));
        assertThat(unknownEndpoint.status()).isEqualTo(404);
        Response invalid = cp.as(service).post("/api/v1/internal/tenants/svc-guard/route", Json.of("expectedEpoch", 1));
        assertThat(invalid.status()).isEqualTo(400);
        assertThat(cp.get("/api/v1/tenants/svc-guard/route").text("primaryEndpointId")).isEqualTo(regionA);
    }

    /** A tenant whose primary is {@code primary} and that was granted both regions (so it may move between them). */
    private static void declared(String tenant, String primary) {
        Response r = cp.post("/api/v1/tenants", Json.of("id", tenant, "name", tenant, "primaryEndpointId", primary));
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        for (String e : List.of(regionA, regionB)) {
            Response granted = cp.put("/api/v1/tenants/" + tenant + "/endpoints/" + e, "");
            assertThat(granted.status()).as(granted.toString()).isBetween(200, 204);
        }
    }
}
