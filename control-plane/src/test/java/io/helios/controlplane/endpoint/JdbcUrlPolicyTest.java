package io.helios.controlplane.endpoint;

import io.helios.service.web.ApiException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JdbcUrlPolicyTest {

    private static final String BASE = "jdbc:postgresql://db.eu:5432/orders";

    @Test
    void theApiDocumentNamesEveryAllowedParameter() throws NoSuchFieldException {
        String described = EndpointRequest.class.getDeclaredField("jdbcUrl")
                .getAnnotation(io.swagger.v3.oas.annotations.media.Schema.class).description();
        assertThat(io.helios.postgres.JdbcUrls.ALLOWED).allSatisfy(name -> assertThat(described).contains(name));
    }

    @ParameterizedTest
    @ValueSource(strings = {"password=x", "sslpassword=x", "user=postgres", "socketFactory=org.example.Evil",
            "sslfactory=org.example.Evil", "sslhostnameverifier=org.example.Evil", "sslpasswordcallback=org.example.Evil",
            "authenticationPluginClassName=org.example.Evil", "loggerFile=/tmp/x", "sslkey=/etc/key.pk8",
            "sslcert=/etc/cert.pem", "options=-c%20standard_conforming_strings%3Doff", "currentSchema=evil",
            "socketFactoryArg=x", "ApplicationName=x"})
    void parametersOffTheListAreRefusedByName(String parameter) {
        String name = parameter.substring(0, parameter.indexOf('='));
        assertThatThrownBy(() -> JdbcUrlPolicy.check(BASE + "?sslmode=require&" + parameter))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.status().value()).isEqualTo(400);
                    assertThat(e.getMessage()).startsWith("jdbcUrl: parameter " + name + " not allowed")
                            .doesNotContain("org.example.Evil").doesNotContain("/etc/");
                });
    }

    @Test
    void namesAreJudgedAsTheDriverReadsThem() {
        // the driver decodes values, not names: %70assword is a parameter of its own, off the list too
        assertThatThrownBy(() -> JdbcUrlPolicy.check(BASE + "?%70assword=x"))
                .hasMessageContaining("parameter ?70assword not allowed");
        assertThatThrownBy(() -> JdbcUrlPolicy.check(BASE + "?sslmode=require&SSLMODE=disable"))
                .hasMessageContaining("parameter SSLMODE not allowed");
    }

    @Test
    void allowedParametersAndTheAddressPass() {
        String a = JdbcUrlPolicy.check(BASE + "?sslmode=verify-full&sslrootcert=/etc/ca.pem"
                + "&connectTimeout=5&socketTimeout=30&loginTimeout=5&tcpKeepAlive=true&targetServerType=primary"
                + "&channelBinding=require&gssEncMode=disable").address();
        assertThat(a).isEqualTo("db.eu:5432/orders");
        assertThat(JdbcUrlPolicy.check("jdbc:postgresql://DB.eu/orders").address()).isEqualTo(a);
    }

    @Test
    void hostListsAndUnparsableUrlsAreRefused() {
        assertThatThrownBy(() -> JdbcUrlPolicy.check("jdbc:postgresql://a:5432,b:5432/orders"))
                .hasMessageContaining("exactly one host");
        assertThatThrownBy(() -> JdbcUrlPolicy.check("jdbc:postgresql://a:notaport/orders"))
                .hasMessageContaining("not a valid PostgreSQL JDBC URL");
    }

    @Test
    void aChangeOfHostPortDatabaseOrUserNeedsThePasswordAgain() {
        String other = "jdbc:postgresql://evil.example:5432/orders";
        assertThatThrownBy(() -> JdbcUrlPolicy.requirePasswordOnMove(BASE, "app", other, "app", null, true))
                .hasMessage("password: password required when the endpoint's address or user changes");
        assertThatThrownBy(() -> JdbcUrlPolicy.requirePasswordOnMove(BASE, "app", "jdbc:postgresql://db.eu:5433/orders",
                "app", null, true)).isInstanceOf(ApiException.class);
        assertThatThrownBy(() -> JdbcUrlPolicy.requirePasswordOnMove(BASE, "app", "jdbc:postgresql://db.eu/billing",
                "app", null, true)).isInstanceOf(ApiException.class);
        assertThatThrownBy(() -> JdbcUrlPolicy.requirePasswordOnMove(BASE, "app", BASE, "admin", null, true))
                .isInstanceOf(ApiException.class);
        assertThatCode(() -> JdbcUrlPolicy.requirePasswordOnMove(BASE, "app", other, "app", "new", true))
                .doesNotThrowAnyException();
        assertThatCode(() -> JdbcUrlPolicy.requirePasswordOnMove(BASE, "app", "jdbc:postgresql://db.eu/orders?sslmode=require",
                "app", null, true)).doesNotThrowAnyException();
    }
}
