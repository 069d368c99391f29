package io.helios.security;

import io.helios.security.token.PemKeys;
import io.helios.security.token.TokenIssuer;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WorkerIdClaimTest {

    @Test
    void theDefaultReadsTheSubjectAfterTheWorkerPrefix() {
        assertThat(WorkerIdClaim.DEFAULT.read(Map.of("sub", "worker:w-1"))).contains("w-1");
        assertThat(WorkerIdClaim.DEFAULT.read(Map.of("sub", "alice"))).isEmpty();
        assertThat(WorkerIdClaim.DEFAULT.read(Map.of("sub", "worker:"))).isEmpty();
        assertThat(WorkerIdClaim.DEFAULT.read(Map.of("sub", "worker:bad/id"))).isEmpty();
        assertThat(WorkerIdClaim.DEFAULT.read(Map.of())).isEmpty();
        assertThat(WorkerIdClaim.DEFAULT.read(Map.of("sub", List.of("worker:w-1")))).isEmpty();
    }

    @Test
    void anotherClaimAndPrefixCanNameTheWorker() {
        WorkerIdClaim keycloak = new WorkerIdClaim("azp", "helios-worker-");
        assertThat(keycloak.read(Map.of("sub", "6f1c", "azp", "helios-worker-eu-1"))).contains("eu-1");
        assertThat(keycloak.read(Map.of("sub", "worker:x", "azp", "helios-gateway"))).isEmpty();
        WorkerIdClaim nested = new WorkerIdClaim("helios.worker", "");
        assertThat(nested.read(Map.of("helios", Map.of("worker", "w7")))).contains("w7");
        assertThatThrownBy(() -> new WorkerIdClaim(" ", "x")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aWorkerReadsItsIdFromItsOwnTokenAndAnOpaqueTokenNamesNone() {
        TokenIssuer issuer = new TokenIssuer(PemKeys.generateRsa());
        assertThat(WorkerIdClaim.DEFAULT.readUnverified(issuer.mintWorker("w-9", Duration.ofMinutes(5)))).contains("w-9");
        assertThat(WorkerIdClaim.DEFAULT.readUnverified("opaque-0123456789")).isEmpty();
        assertThatThrownBy(() -> issuer.mintWorker("no/slash", Duration.ofMinutes(5)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
