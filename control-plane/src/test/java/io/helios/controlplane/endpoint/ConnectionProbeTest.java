package io.helios.controlplane.endpoint;

import io.helios.service.web.ApiException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** Connection failures are told by structure: nothing garbled by masking, no secret echoed. */
class ConnectionProbeTest {

    private final ConnectionProbe probe = new ConnectionProbe(10);

    @Test
    void aTlsFailureReadsWholeWithAOneLetterPassword() throws Exception {
        try (FakePostgres server = new FakePostgres(FakePostgres.Mode.BROKEN_TLS)) {
            ApiException e = catchThrowableOfType(ApiException.class, () -> probe.open(
                    "jdbc:postgresql://127.0.0.1:" + server.port() + "/orders?sslmode=require", "app", "p"));
            assertThat(e.status().value()).isEqualTo(422);
            assertThat(e.getMessage())
                    .contains("127.0.0.1:" + server.port() + "/orders").contains("as app")
                    .contains("setting up the SSL connection").contains("SQLSTATE 08")
                    .doesNotContain("*");
        }
    }

    @Test
    void aPasswordTheServerEchoesIsNeverShown() throws Exception {
        String secret = "Hunter2-very-secret";
        try (FakePostgres server = new FakePostgres(FakePostgres.Mode.ECHO_PASSWORD)) {
            ApiException e = catchThrowableOfType(ApiException.class, () -> probe.open(
                    "jdbc:postgresql://127.0.0.1:" + server.port() + "/orders?sslmode=disable", "app", secret));
            assertThat(e.getMessage()).doesNotContain(secret).doesNotContain("Hunter2")
                    .contains("password authentication failed").contains("SQLSTATE 28P01");
        }
    }

    @Test
    void aStoredUrlWithARefusedParameterIsNotOpened() throws Exception {
        try (FakePostgres server = new FakePostgres(FakePostgres.Mode.ECHO_PASSWORD)) {
            ApiException e = catchThrowableOfType(ApiException.class, () -> probe.open("jdbc:postgresql://127.0.0.1:"
                    + server.port() + "/orders?sslmode=disable&sslpassword=kept-secret&loggerFile=/tmp/x", "app", "pw"));
            assertThat(e.status().value()).isEqualTo(422);
            assertThat(e.getMessage()).contains("parameters Helios refuses: loggerFile, sslpassword")
                    .doesNotContain("kept-secret").doesNotContain("/tmp/x");
        }
    }
}
