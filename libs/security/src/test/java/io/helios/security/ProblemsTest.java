package io.helios.security;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ProblemsTest {

    @Test
    void writesAnRfc9457DocumentWithEscapedText() {
        assertThat(Problems.forbidden("needs \"admin\"\n", "/api/v1/x")).isEqualTo(
                "{\"type\":\"https://helios.io/problems/forbidden\",\"title\":\"Forbidden\",\"status\":403,"
                        + "\"detail\":\"needs \\\"admin\\\"\\n\",\"instance\":\"/api/v1/x\"}");
    }
}
