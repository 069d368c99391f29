package io.helios.migration;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The published contract is the tested one: the live OpenAPI document must equal
 * {@code docs/openapi/migration-service.json}, from which the Java client is generated. After an
 * intended API change: {@code ./mvnw -pl migration-service -am verify -Dit.test=OpenApiDocumentIT
 * -Dhelios.openapi.update=true}, and commit the file with the change.
 */
class OpenApiDocumentIT {

    private static final Path COMMITTED = Path.of("..", "docs", "openapi", "migration-service.json");
    private static final JsonMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    private static RunningMigrationService service;

    @BeforeAll
    static void start() {
        service = RunningMigrationService.start("openapi");
    }

    @AfterAll
    static void stop() {
        service.close();
    }

    @Test
    void liveDocumentEqualsTheCommittedOne() throws Exception {
        RunningMigrationService.Response live = service.get("/v3/api-docs", null);
        assertThat(live.status()).isEqualTo(200);
        JsonNode liveDoc = JSON.readTree(live.body());
        if (Boolean.getBoolean("helios.openapi.update")) {
            Files.createDirectories(COMMITTED.getParent());
            Files.writeString(COMMITTED, JSON.writeValueAsString(liveDoc) + "\n");
        }
        assertThat(COMMITTED).as("committed OpenAPI document (create it with -Dhelios.openapi.update=true)").exists();
        assertThat(liveDoc).as("the migration service's OpenAPI document drifted from docs/openapi/migration-service.json;"
                + " if intended, rerun with -Dhelios.openapi.update=true and commit it").isEqualTo(JSON.readTree(
                Files.readString(COMMITTED)));
    }
}
