package io.helios.failover;

import io.helios.failover.RunningFailoverService.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The published contract is the tested one: the failover service's live OpenAPI document must equal
 * {@code docs/openapi/failover-service.json}, from which the Java client ({@code clients/java}) is
 * generated. After an intended API change, rewrite the file with
 * {@code ./mvnw -pl failover-service -am verify -Dit.test=OpenApiDocumentIT -Dhelios.openapi.update=true}
 * and commit it with the change.
 */
class OpenApiDocumentIT {

    private static final Path COMMITTED = Path.of("..", "docs", "openapi", "failover-service.json");
    private static final JsonMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    private static RunningFailoverService cp;

    @BeforeAll
    static void start() {
        cp = RunningFailoverService.start("openapi", Map.of("helios.control-plane.url", "http://127.0.0.1:9", "helios.decision.enabled", "false"), null);
    }

    @AfterAll
    static void stop() {
        cp.close();
    }

    @Test
    void liveDocumentEqualsTheCommittedOne() throws Exception {
        Response live = cp.as("").get("/v3/api-docs");
        assertThat(live.status()).isEqualTo(200);
        JsonNode liveDoc = JSON.readTree(live.body());
        if (Boolean.getBoolean("helios.openapi.update")) {
            Files.createDirectories(COMMITTED.getParent());
            Files.writeString(COMMITTED, JSON.writeValueAsString(liveDoc) + "\n");
        }
        assertThat(COMMITTED).as("committed OpenAPI document (create it with -Dhelios.openapi.update=true)").exists();
        JsonNode committed = JSON.readTree(Files.readString(COMMITTED));
        assertThat(liveDoc)
                .as("the failover service's OpenAPI document drifted from docs/openapi/failover-service.json; if the change is "
                        + "intended, rerun with -Dhelios.openapi.update=true and commit the file (the client is generated from it)")
                .isEqualTo(committed);
    }
}
