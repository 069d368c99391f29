package io.helios.worker.lease;

import io.helios.security.client.BearerTokenSource;
import io.helios.security.token.PemKeys;
import io.helios.security.token.TokenIssuer;
import io.helios.worker.config.WorkerProperties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WorkerCredentialsTest {

    private static final TokenIssuer ISSUER = new TokenIssuer(PemKeys.generateRsa());

    @TempDir
    Path dir;

    @Test
    void exactlyOneCredentialMustBeConfigured() {
        assertThatThrownBy(() -> WorkerCredentials.from(worker(null, null, null, null)))
                .hasMessageContaining("no credential").hasMessageContaining("HELIOS_WORKER_TOKEN")
                .hasMessageContaining("HELIOS_WORKER_TOKEN_FILE").hasMessageContaining("HELIOS_WORKER_TOKEN_URI");
        assertThatThrownBy(() -> WorkerCredentials.from(worker(null, "t", "/tmp/t", null)))
                .hasMessageContaining("more than once").hasMessageContaining("helios.worker.token (")
                .hasMessageContaining("helios.worker.token-file");
        assertThatThrownBy(() -> WorkerCredentials.from(worker(null, "t", null, "http://idp/token")))
                .hasMessageContaining("helios.worker.oauth2.token-uri");
    }

    @Test
    void theWorkerIdComesFromTheTokenWhenNotConfigured() throws Exception {
        Path file = Files.writeString(dir.resolve("w"), ISSUER.mintWorker("from-token", Duration.ofMinutes(5)) + "\n");
        WorkerProperties.Worker w = worker(null, null, file.toString(), null);
        assertThat(WorkerCredentials.workerId(w, WorkerCredentials.from(w))).isEqualTo("from-token");
    }

    @Test
    void aConfiguredIdMustAgreeWithTheTokenAndAnOpaqueTokenNeedsOne() {
        String token = ISSUER.mintWorker("w-1", Duration.ofMinutes(5));
        assertThat(WorkerCredentials.workerId(worker("w-1", token, null, null), BearerTokenSource.fixed(token))).isEqualTo("w-1");
        assertThatThrownBy(() -> WorkerCredentials.workerId(worker("w-2", token, null, null), BearerTokenSource.fixed(token)))
                .hasMessageContaining("is 'w-2'").hasMessageContaining("belongs to worker 'w-1'").hasMessageNotContaining(token);
        assertThat(WorkerCredentials.workerId(worker("w-3", "opaque", null, null), BearerTokenSource.fixed("opaque")))
                .isEqualTo("w-3");
        assertThatThrownBy(() -> WorkerCredentials.workerId(worker(null, "opaque", null, null), BearerTokenSource.fixed("opaque")))
                .hasMessageContaining("names no worker in claim sub = worker:<worker id>")
                .hasMessageContaining("HELIOS_WORKER_ID").hasMessageNotContaining("opaque");
    }

    private static WorkerProperties.Worker worker(String id, String token, String tokenFile, String tokenUri) {
        return new WorkerProperties.Worker(id, "http://127.0.0.1:1", 1, Duration.ofSeconds(1), Duration.ofSeconds(15),
                token, tokenFile, new WorkerProperties.OAuth2(tokenUri, "c", "s", null, null), "sub", "worker:", null,
                Duration.ofSeconds(15));
    }
}
