package io.helios.stack;

import io.helios.testsupport.PostgresCluster;
import io.helios.testsupport.TestClusters;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * A worker that gets its credential through the OAuth2 client-credentials flow
 * ({@code helios.worker.oauth2.*}, Spring Security's OAuth2 client) from a real token endpoint in
 * the test, which signs with the stack's key: the worker obtains a token, heartbeats as the worker
 * its token names, and obtains new tokens as they expire; a worker whose token the control plane
 * refuses does not start, and says why.
 */
class WorkerOAuth2IT {

    private static PostgresCluster pg;
    private static Stack stack;
    private static TokenEndpoint idp;

    @BeforeAll
    static void start() {
        pg = TestClusters.shared();
        pg.createDatabase("oauth_control");
        stack = Stack.start(new Stack.Options(pg.jdbcUrl("oauth_control"), pg.user(), pg.password(), 0, false, 15,
                Map.of()));
        // 62 s tokens: with the client's 60 s clock skew each is replaced about 2 s after it was obtained
        idp = TokenEndpoint.start(stack.issuer(), Map.of(
                "oauth-w1", new TokenEndpoint.Client("secret-1", "worker:oauth-w1", List.of("worker")),
                "oauth-viewer", new TokenEndpoint.Client("secret-2", "worker:oauth-viewer", List.of("viewer"))),
                Duration.ofSeconds(62));
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
        if (idp != null) {
            idp.close();
        }
    }

    @Test
    void aWorkerObtainsItsTokenThroughClientCredentialsAndRenewsItAsItExpires() {
        ConfigurableApplicationContext worker = stack.startWorker("oauth-w1", 0, oauth2("oauth-w1", "secret-1"));
        try {
            HeliosApi admin = stack.api();
            await().atMost(Duration.ofSeconds(60)).until(() -> admin.list("/workers").stream()
                    .anyMatch(w -> "oauth-w1".equals(w.get("id"))));
            int before = idp.forms().size();
            assertThat(before).isPositive();
            // renewed tokens keep being obtained while the worker keeps heartbeating with them
            await().atMost(Duration.ofSeconds(60)).until(() -> idp.forms().size() >= before + 3);
            Object lastBeat = heartbeatOf(admin, "oauth-w1");
            await().atMost(Duration.ofSeconds(30)).until(() -> !heartbeatOf(admin, "oauth-w1").equals(lastBeat));
            assertThat(idp.forms()).allSatisfy(f -> assertThat(f).contains("grant_type=client_credentials", "audience=helios"));
        } finally {
            stack.stopWorker(worker);
        }
    }

    @Test
    void aWorkerWhoseTokenTheControlPlaneRefusesDoesNotStartAndSaysWhy() {
        assertThatThrownBy(() -> stack.startWorker("oauth-viewer", 0, oauth2("oauth-viewer", "secret-2")))
                .satisfies(e -> assertThat(messages(e)).contains("refused worker 'oauth-viewer' with 403",
                        "needs the worker role", "client-credentials grant of client 'oauth-viewer'")
                        .doesNotContain("secret-2"));
    }

    private static String[] oauth2(String client, String secret) {
        return new String[]{"--helios.worker.oauth2.token-uri=" + idp.uri(), "--helios.worker.oauth2.client-id=" + client,
                "--helios.worker.oauth2.client-secret=" + secret, "--helios.worker.oauth2.audience=helios"};
    }

    private static Object heartbeatOf(HeliosApi admin, String id) {
        return admin.list("/workers").stream().filter(w -> id.equals(w.get("id"))).findFirst()
                .map(w -> w.get("lastHeartbeatAt")).orElse("none");
    }

    private static String messages(Throwable e) {
        List<String> out = new ArrayList<>();
        for (Throwable t = e; t != null; t = t.getCause()) {
            out.add(String.valueOf(t.getMessage()));
        }
        return String.join(" | ", out);
    }
}
