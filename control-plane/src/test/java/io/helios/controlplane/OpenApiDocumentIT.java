package io.helios.controlplane;

import io.helios.controlplane.RunningControlPlane.Response;
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
 * The published contract is the tested one: the control plane's live OpenAPI document must equal
 * {@code docs/openapi/control-plane.json}, from which the Java client ({@code clients/java}) is
 * generated. After an intended API change, rewrite the file with
 * {@code ./mvnw -pl control-plane -am verify -Dit.test=OpenApiDocumentIT -Dhelios.openapi.update=true}
 * and commit it with the change.
 */
class OpenApiDocumentIT {

    private static final Path COMMITTED = Path.of("..", "docs", "openapi", "control-plane.json");
    private static final JsonMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    private static RunningControlPlane cp;

    @BeforeAll
    static void start() {
        cp = RunningControlPlane.start("openapi", Map.of(), null);
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
                .as("the control plane's OpenAPI document drifted from docs/openapi/control-plane.json; if the change is "
                        + "intended, rerun with -Dhelios.openapi.update=true and commit the file (the client is generated from it)")
                .isEqualTo(committed);
    }
}
