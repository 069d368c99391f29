package io.helios.controlplane;

import io.helios.controlplane.RunningControlPlane.Response;
import io.helios.testsupport.TestTokens;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.StreamSupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The orphan sweeper against a real source, with a hand-moved clock: a {@code helios_*} slot and
 * publication no replication owns are reported at once and dropped only after the grace period,
 * the first sighting surviving a restart of the control plane; a live replication's slot and an
 * active orphan are never dropped; the report is for admins only.
 */
class SweeperIT {

    private static final MutableClock CLOCK = new MutableClock(Instant.parse("2032-01-01T00:00:00Z"));
    private static final Map<String, Object> PROPS = Map.of(
            "helios.sweeper.interval", "300ms",
            "helios.sweeper.grace", "15m",
            "helios.wal-guard.enabled", "false");

    private static RunningControlPlane cp;
    private static Fixtures fx;
    private static String source;
    private static String target;

    @BeforeAll
    static void start() {
        cp = RunningControlPlane.start("sweeper", PROPS, CLOCK);
        fx = new Fixtures(cp);
        source = fx.endpoint("sweep-src", "sweep_src");
        target = fx.endpoint("sweep-tgt", "sweep_tgt");
    }

    @AfterAll
    static void stop() {
        cp.close();
    }

    @Test
    void orphanIsReportedThenSweptAfterTheGracePeriodButALiveReplicationsSlotStays() throws Exception {
        String orphan = "helios_" + UUID.randomUUID().toString().replace("-", "");
        onSource("SELECT pg_create_logical_replication_slot('" + orphan + "', 'pgoutput')");
        onSource("CREATE PUBLICATION " + orphan);
        fx.tenant("sweep-live");
        String live = fx.replication("sweep-live", source, target);
        assertThat(cp.post("/api/v1/replications/" + live + "/start", "").status()).isEqualTo(200);
        String liveSlot = "helios_" + live.replace("-", "");
        onSource("SELECT pg_create_logical_replication_slot('" + liveSlot + "', 'pgoutput')");

        await().atMost(Duration.ofSeconds(60)).until(() -> names(orphans()).containsAll(List.of(orphan + "/SLOT",
                orphan + "/PUBLICATION")));
        JsonNode reported = find(orphans(), orphan, "SLOT");
        assertThat(reported.get("endpointId").asString()).isEqualTo(source);
        assertThat(reported.get("active").asBoolean()).isFalse();
        assertThat(reported.get("replicationId").isNull()).isTrue();
        assertThat(Instant.parse(reported.get("dropAfter").asString()))
                .isEqualTo(Instant.parse(reported.get("firstSeenAt").asString()).plus(Duration.ofMinutes(15)));
        assertThat(names(orphans())).doesNotContain(liveSlot + "/SLOT");
        await().atMost(Duration.ofSeconds(30)).until(() -> cp.get("/actuator/prometheus").body()
                .contains("helios_orphans{kind=\"SLOT\"} 1.0"));

        // a restart keeps the first sighting: the grace period is not reset
        cp.close();
        CLOCK.advance(Duration.ofMinutes(10));
        cp = RunningControlPlane.restart("sweeper", PROPS, CLOCK);
        fx = new Fixtures(cp);
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            JsonNode again = find(orphans(), orphan, "SLOT");
            return again != null && Instant.parse(again.get("lastSeenAt").asString()).equals(CLOCK.instant());
        });
        assertThat(find(orphans(), orphan, "SLOT").get("firstSeenAt").asString())
                .isEqualTo(reported.get("firstSeenAt").asString());
        assertThat(exists("SELECT 1 FROM pg_replication_slots WHERE slot_name = '" + orphan + "'")).isTrue();

        CLOCK.advance(Duration.ofMinutes(6));
        await().atMost(Duration.ofSeconds(60))
                .until(() -> !exists("SELECT 1 FROM pg_replication_slots WHERE slot_name = '" + orphan + "'")
                        && !exists("SELECT 1 FROM pg_publication WHERE pubname = '" + orphan + "'"));
        await().atMost(Duration.ofSeconds(30)).until(() -> !names(orphans()).contains(orphan + "/SLOT"));
        assertThat(exists("SELECT 1 FROM pg_replication_slots WHERE slot_name = '" + liveSlot + "'")).isTrue();
        assertThat(cp.post("/api/v1/replications/" + live + "/stop", "").status()).isEqualTo(200);
    }

    @Test
    void orphansAreForAdminsWithAnUnrestrictedTokenOnly() {
        assertThat(cp.get("/api/v1/maintenance/orphans").status()).isEqualTo(200);
        assertThat(cp.as(TestTokens.operator()).get("/api/v1/maintenance/orphans").status()).isEqualTo(403);
        assertThat(cp.as(TestTokens.viewer()).get("/api/v1/maintenance/orphans").status()).isEqualTo(403);
        assertThat(cp.as(TestTokens.worker()).get("/api/v1/maintenance/orphans").status()).isEqualTo(403);
        assertThat(cp.as(TestTokens.mint("scoped", io.helios.security.Role.ADMIN, List.of("acme")))
                .get("/api/v1/maintenance/orphans").status()).isEqualTo(403);
        assertThat(cp.as("").get("/api/v1/maintenance/orphans").status()).isEqualTo(401);
    }

    private static JsonNode orphans() {
        Response r = cp.get("/api/v1/maintenance/orphans");
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return r.json();
    }

    private static List<String> names(JsonNode orphans) {
        return StreamSupport.stream(orphans.spliterator(), false)
                .map(o -> o.get("name").asString() + "/" + o.get("kind").asString()).toList();
    }

    private static JsonNode find(JsonNode orphans, String name, String kind) {
        return StreamSupport.stream(orphans.spliterator(), false)
                .filter(o -> o.get("name").asString().equals(name) && o.get("kind").asString().equals(kind))
                .findFirst().orElse(null);
    }

    private static void onSource(String sql) {
        try (Connection c = RunningControlPlane.cluster().connect("sweep_src"); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    private static boolean exists(String sql) throws SQLException {
        try (Connection c = RunningControlPlane.cluster().connect("sweep_src"); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(sql)) {
            return rs.next();
        }
    }
}
