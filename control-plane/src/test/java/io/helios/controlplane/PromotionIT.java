package io.helios.controlplane;

import io.helios.controlplane.RunningControlPlane.Response;
import io.helios.core.change.Lsn;
import io.helios.postgres.checkpoint.Checkpoints;
import io.helios.postgres.checkpoint.StaleLeaseException;
import io.helios.postgres.slot.ReplicationNames;
import io.helios.security.Role;
import io.helios.testsupport.TestTokens;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code POST /api/v1/internal/replications/{id}/promote}: the failover service's lease revocation.
 * The epoch moves on, the replication stops, the target's checkpoint is fenced at the new epoch (an
 * older worker can apply nothing more) and its position answered, and the source is not touched:
 * its slot, which keeps the writes the target never got, is still there. Service role only.
 */
class PromotionIT {

    private static RunningControlPlane cp;
    private static Fixtures fx;
    private static String service;

    @BeforeAll
    static void start() {
        cp = RunningControlPlane.start("promotion", Map.of("helios.wal-guard.enabled", "false",
                "helios.sweeper.enabled", "false"), null);
        fx = new Fixtures(cp);
        service = TestTokens.service("failover-service");
    }

    @AfterAll
    static void stop() {
        cp.close();
    }

    @Test
    void promotionRevokesTheLeaseFencesTheTargetAndLeavesTheSourceAlone() throws Exception {
        String source = fx.endpoint("promo-src", "promo_src");
        String target = fx.endpoint("promo-tgt", "promo_tgt");
        fx.tenant("promo");
        String id = fx.replication("promo", source, target);
        assertThat(cp.post("/api/v1/replications/" + id + "/start", null).status()).isEqualTo(200);
        long before = cp.get("/api/v1/replications/" + id).json().get("leaseEpoch").asLong();
        try (Connection t = RunningControlPlane.cluster().connect("promo_tgt")) {
            Checkpoints.installSchema(t);
            Checkpoints.insert(t, id, before, Lsn.parse("0/3000060"));
        }
        try (Connection s = RunningControlPlane.cluster().connect("promo_src"); Statement st = s.createStatement()) {
            st.execute("SELECT pg_create_logical_replication_slot('" + ReplicationNames.slot(id) + "', 'pgoutput')");
        }

        Response r = cp.as(service).post("/api/v1/internal/replications/" + id + "/promote", Json.of("reason", "test"));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.text("lastAppliedLsn")).isEqualTo("0/3000060");
        assertThat(r.text("state")).isEqualTo("STOPPED");
        long after = r.json().get("leaseEpoch").asLong();
        assertThat(after).isGreaterThan(before);
        assertThat(fx.state(id)).isEqualTo("STOPPED");

        try (Connection t = RunningControlPlane.cluster().connect("promo_tgt")) {
            assertThatThrownBy(() -> Checkpoints.claim(t, id, before)).as("a worker of the old epoch")
                    .isInstanceOf(StaleLeaseException.class);
        }
        try (Connection s = RunningControlPlane.cluster().connect("promo_src"); Statement st = s.createStatement();
             ResultSet rs = st.executeQuery("SELECT count(*) FROM pg_replication_slots WHERE slot_name = '"
                     + ReplicationNames.slot(id) + "'")) {
            rs.next();
            assertThat(rs.getInt(1)).as("the source's slot is kept").isEqualTo(1);
            st.execute("SELECT pg_drop_replication_slot('" + ReplicationNames.slot(id) + "')");
        }

        Response again = cp.as(service).post("/api/v1/internal/replications/" + id + "/promote", null);
        assertThat(again.status()).as(again.toString()).isEqualTo(200);
        assertThat(again.text("lastAppliedLsn")).isEqualTo("0/3000060");
        assertThat(again.json().get("leaseEpoch").asLong()).isGreaterThan(after);
    }

    @Test
    void onlyTheServiceRolePromotes() {
        String source = fx.endpoint("promo-src2", "promo_src2");
        String target = fx.endpoint("promo-tgt2", "promo_tgt2");
        fx.tenant("promo2");
        String id = fx.replication("promo2", source, target);
        for (String token : List.of(TestTokens.admin(), TestTokens.operator(), TestTokens.viewer(), TestTokens.worker(),
                TestTokens.mint("promo2-admin", Role.ADMIN, List.of("promo2")), "")) {
            Response refused = cp.as(token).post("/api/v1/internal/replications/" + id + "/promote", null);
            assertThat(refused.status()).as(refused.toString()).isIn(401, 403);
            assertThat(refused.contentType()).startsWith("application/problem+json");
        }
        assertThat(fx.state(id)).isEqualTo("CREATED");
        Response missing = cp.as(service).post("/api/v1/internal/replications/00000000-0000-0000-0000-000000000001/promote",
                null);
        assertThat(missing.status()).isEqualTo(404);
    }
}
