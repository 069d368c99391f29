package io.helios.controlplane;

import io.helios.controlplane.RunningControlPlane.Response;
import io.helios.security.Role;
import io.helios.testsupport.TestTokens;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The claim that names a worker is configurable (Keycloak service accounts: the client id in
 * {@code azp}, behind a prefix): with it set, the worker id comes from that claim, and the subject
 * no longer names a worker. The shared static worker token of earlier releases stops the start.
 */
class WorkerIdClaimIT {

    private static final String BEAT = "{\"capacity\":0,\"reports\":[]}";

    private static RunningControlPlane cp;

    @BeforeAll
    static void start() {
        cp = RunningControlPlane.start("worker_id_claim", Map.of("helios.security.jwt.worker-id-claim", "azp",
                "helios.security.jwt.worker-id-prefix", "helios-worker-"), null);
    }

    @AfterAll
    static void stop() {
        cp.close();
    }

    @Test
    void theConfiguredClaimNamesTheWorker() {
        String keycloakLike = TestTokens.sign(TestTokens.claims("6f1c2a4e-service-account", Role.WORKER)
                .audience(TestTokens.audience()).expirationTime(Date.from(Instant.now().plus(Duration.ofMinutes(5))))
                .claim("azp", "helios-worker-eu-1").build());
        assertThat(cp.as(keycloakLike).post("/api/v1/workers/eu-1/heartbeat", BEAT).status()).isEqualTo(200);
        Response other = cp.as(keycloakLike).post("/api/v1/workers/eu-2/heartbeat", BEAT);
        assertThat(other.status()).isEqualTo(403);
        assertThat(other.text("detail")).contains("'eu-1'", "'eu-2'");
        // the default subject form names no worker under this setting
        assertThat(cp.as(TestTokens.worker("eu-1")).post("/api/v1/workers/eu-1/heartbeat", BEAT).status()).isEqualTo(403);
    }

    @Test
    void aControlPlaneStillGivenTheSharedWorkerTokenRefusesToStartAndSaysWhy() {
        assertThatThrownBy(() -> RunningControlPlane.start("legacy_worker_token",
                Map.of("helios.security.worker-token", "s3cr3t-shared"), null))
                .satisfies(e -> {
                    StringBuilder messages = new StringBuilder();
                    for (Throwable t = e; t != null; t = t.getCause()) {
                        messages.append(t.getMessage()).append(" | ");
                    }
                    assertThat(messages.toString()).contains("helios.security.worker-token is no longer supported",
                            "its own JWT").doesNotContain("s3cr3t-shared");
                });
    }
}
