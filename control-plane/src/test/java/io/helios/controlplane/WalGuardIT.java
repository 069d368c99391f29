package io.helios.controlplane;

import io.helios.controlplane.RunningControlPlane.Response;
import io.helios.testsupport.Broker;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.core.BindingBuilder;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.core.TopicExchange;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import tools.jackson.databind.JsonNode;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The WAL guard against a real source: a paused replication whose slot retains WAL under write
 * load past a small limit has its slot and publication dropped, is failed and marked as needing a
 * fresh copy, with alerts on the broker; a started replication nobody reports for is shown stale;
 * the preflight reports {@code max_slot_wal_keep_size}. Slots are made here as a worker would
 * (same names), since no worker runs in these tests.
 */
class WalGuardIT {

    private static final MutableClock CLOCK = new MutableClock(Instant.parse("2031-01-01T00:00:00Z"));

    private static RunningControlPlane cp;
    private static Fixtures fx;
    private static String source;
    private static String target;

    @BeforeAll
    static void start() {
        cp = RunningControlPlane.start("wal_guard", Map.of(
                "helios.wal-guard.interval", "300ms",
                "helios.wal-guard.warn-retained-bytes", "1MB",
                "helios.wal-guard.max-retained-bytes", "4MB",
                "helios.sweeper.enabled", "false"), CLOCK);
        fx = new Fixtures(cp);
        source = fx.endpoint("walguard-src", "walguard_src");
        target = fx.endpoint("walguard-tgt", "walguard_tgt");
        try (Connection c = RunningControlPlane.cluster().connect("walguard_src"); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE orders_load (id bigserial PRIMARY KEY, payload text)");
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @AfterAll
    static void stop() {
        cp.close();
    }

    @Test
    void pausedReplicationPastTheLimitLosesItsSlotAndNeedsAFreshCopy() throws Exception {
        Broker.require();
        CachingConnectionFactory cf = new CachingConnectionFactory(Broker.HOST, Broker.PORT);
        RabbitAdmin admin = new RabbitAdmin(cf);
        // a named, non-exclusive queue: it must outlive a reconnect during the minute of write load
        Queue queue = new Queue("walguard-it-" + java.util.UUID.randomUUID(), false, false, false);
        try {
            TopicExchange alerts = new TopicExchange("helios.alerts", true, false);
            admin.declareExchange(alerts);
            admin.declareQueue(queue);
            admin.declareBinding(BindingBuilder.bind(queue).to(alerts).with("#"));

            String id = running("wal-paused");
            String slot = "helios_" + id.replace("-", "");
            onSource("SELECT pg_create_logical_replication_slot('" + slot + "', 'pgoutput')");
            onSource("CREATE PUBLICATION " + slot);
            assertThat(cp.post("/api/v1/replications/" + id + "/pause", "").status()).isEqualTo(200);

            JsonNode read = await().atMost(Duration.ofSeconds(60)).until(() -> status(id).get("wal"),
                    w -> w != null && !w.isNull() && w.get("slotPresent").asBoolean());
            assertThat(read.get("slot").asString()).isEqualTo(slot);
            assertThat(read.get("walStatus").asString()).isIn("reserved", "extended");
            assertThat(read.get("retainedBytes").asLong()).isGreaterThanOrEqualTo(0);
            assertThat(status(id).get("needsFreshCopy").asBoolean()).isFalse();

            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200)).until(() -> {
                writeLoad();
                return "FAILED".equals(fx.state(id));
            });
            JsonNode st = status(id);
            assertThat(st.get("needsFreshCopy").asBoolean()).as(st.toString()).isTrue();
            assertThat(st.get("wal").get("reason").asString()).contains("max-retained-bytes").contains(slot);
            assertThat(st.get("wal").get("slotPresent").asBoolean()).isFalse();
            assertThat(st.get("workerId").isNull()).isTrue();
            assertThat(exists("SELECT 1 FROM pg_replication_slots WHERE slot_name = '" + slot + "'")).isFalse();
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> !exists("SELECT 1 FROM pg_publication WHERE pubname = '" + slot + "'"));

            List<String> messages = new ArrayList<>();
            RabbitTemplate rabbit = new RabbitTemplate(cf);
            await().atMost(Duration.ofSeconds(20)).until(() -> {
                Message m = rabbit.receive(queue.getName(), 500);
                if (m != null) {
                    messages.add(new String(m.getBody(), StandardCharsets.UTF_8));
                }
                return messages.stream().anyMatch(b -> b.contains("\"type\":\"SlotDropped\"") && b.contains(id));
            });
            assertThat(messages).anyMatch(b -> b.contains("\"type\":\"WalRetentionExceeded\"") && b.contains(id)
                    && b.contains("\"level\":\"WARN\""));
            assertThat(messages).anyMatch(b -> b.contains("\"type\":\"SlotDropped\"") && b.contains("RETENTION_LIMIT"));

            assertThat(cp.post("/api/v1/replications/" + id + "/start", "").status()).isEqualTo(200);
            assertThat(status(id).get("needsFreshCopy").asBoolean()).isFalse();
            assertThat(cp.post("/api/v1/replications/" + id + "/stop", "").status()).isEqualTo(200);
        } finally {
            admin.deleteQueue(queue.getName());
            cf.destroy();
        }
    }

    @Test
    void activeReplicationWithoutReportsBecomesStaleInStatusAndMetrics() {
        String id = running("wal-stale");
        JsonNode fresh = status(id);
        assertThat(fresh.get("stale").asBoolean()).isFalse();
        assertThat(fresh.get("lastReportAgeMs").isNull()).isTrue();

        CLOCK.advance(Duration.ofSeconds(46)); // three lease TTLs of 15 s, and a second
        assertThat(status(id).get("stale").asBoolean()).isTrue();
        await().atMost(Duration.ofSeconds(30)).until(() -> cp.get("/actuator/prometheus").body().lines()
                .anyMatch(l -> l.startsWith("helios_replication_stale{") && l.contains(id) && l.endsWith(" 1.0")));
        assertThat(cp.get("/actuator/prometheus").body().lines()
                .filter(l -> l.startsWith("helios_replication_last_report_age_seconds{") && l.contains(id)))
                .singleElement().satisfies(l -> assertThat(Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
                        .isGreaterThanOrEqualTo(45.0));
        assertThat(cp.post("/api/v1/replications/" + id + "/stop", "").status()).isEqualTo(200);
        assertThat(status(id).get("stale").asBoolean()).isFalse();
    }

    @Test
    void retainedWalIsAGaugePerReplication() throws Exception {
        String id = running("wal-gauge");
        String slot = "helios_" + id.replace("-", "");
        onSource("SELECT pg_create_logical_replication_slot('" + slot + "', 'pgoutput')");
        java.util.regex.Pattern status = java.util.regex.Pattern.compile(
                "helios_replication_wal_status\\{[^}]*replication=\"" + id + "\"[^}]*status=\"(reserved|extended)\"");
        // both gauges from one scrape: each guard pass rebuilds them, so scrapes between two passes may differ
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            String body = cp.get("/actuator/prometheus").body();
            return body.lines().anyMatch(l -> l.startsWith("helios_replication_wal_retained_bytes{") && l.contains(id)
                    && l.contains("tenant=\"wal-gauge\"")) && status.matcher(body).find();
        });
        assertThat(cp.post("/api/v1/replications/" + id + "/stop", "").status()).isEqualTo(200);
        assertThat(exists("SELECT 1 FROM pg_replication_slots WHERE slot_name = '" + slot + "'")).isFalse();
    }

    @Test
    void preflightReportsMaxSlotWalKeepSize() {
        Response r = cp.post("/api/v1/endpoints/" + source + "/preflight", Json.of("role", "SOURCE"));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        JsonNode keep = null;
        JsonNode atRisk = null;
        for (JsonNode check : r.json().get("checks")) {
            if (check.get("name").asString().equals("max_slot_wal_keep_size")) {
                keep = check;
            } else if (check.get("name").asString().equals("slot_wal_status")) {
                atRisk = check;
            }
        }
        assertThat(keep).as(r.toString()).isNotNull();
        // the test cluster keeps PostgreSQL's default: unbounded
        assertThat(keep.get("status").asString()).isEqualTo("WARN");
        assertThat(keep.get("detail").asString()).contains("max_slot_wal_keep_size = -1").contains("unbounded");
        assertThat(atRisk).as(r.toString()).isNotNull();
        assertThat(atRisk.get("status").asString()).isEqualTo("OK");
    }

    private String running(String tenant) {
        fx.tenant(tenant);
        String id = fx.replication(tenant, source, target);
        assertThat(cp.post("/api/v1/replications/" + id + "/start", "").status()).isEqualTo(200);
        return id;
    }

    private JsonNode status(String id) {
        Response r = cp.get("/api/v1/replications/" + id + "/status");
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return r.json();
    }

    private static void writeLoad() throws SQLException {
        try (Connection c = RunningControlPlane.cluster().connect("walguard_src"); Statement s = c.createStatement()) {
            s.execute("INSERT INTO orders_load (payload) SELECT repeat(md5(g::text), 8) FROM generate_series(1, 3000) g");
        }
    }

    private static void onSource(String sql) {
        try (Connection c = RunningControlPlane.cluster().connect("walguard_src"); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    private static boolean exists(String sql) throws SQLException {
        try (Connection c = RunningControlPlane.cluster().connect("walguard_src"); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(sql)) {
            return rs.next();
        }
    }
}
