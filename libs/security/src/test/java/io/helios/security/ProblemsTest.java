package io.helios.security;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class ProblemsTest {

    private final JsonMapper mapper = JsonMapper.builder().build();
    private final Problems problems = new Problems(mapper);

    @Test
    void writesAnRfc9457DocumentWithEscapedText() {
        byte[] json = problems.json(Problems.forbidden("needs \"admin\"\n", "/api/v1/x"));
        JsonNode node = mapper.readTree(json);
        assertThat(node.propertyNames()).containsExactlyInAnyOrder("type", "title", "status", "detail", "instance");
        assertThat(node.get("type").asString()).isEqualTo("https://helios.io/problems/forbidden");
        assertThat(node.get("title").asString()).isEqualTo("Forbidden");
        assertThat(node.get("status").asInt()).isEqualTo(403);
        assertThat(node.get("detail").asString()).isEqualTo("needs \"admin\"\n");
        assertThat(node.get("instance").asString()).isEqualTo("/api/v1/x");
        assertThat(new String(json, StandardCharsets.UTF_8)).contains("\"needs \\\"admin\\\"\\n\"");
    }

    @Test
    void leavesOutAnAbsentInstanceAndWritesNoPropertiesField() {
        JsonNode node = mapper.readTree(problems.json(Problems.unavailable("down", null)));
        assertThat(node.propertyNames()).containsExactlyInAnyOrder("type", "title", "status", "detail");
    }
}
