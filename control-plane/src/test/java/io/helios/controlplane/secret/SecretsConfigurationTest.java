package io.helios.controlplane.secret;

import io.helios.controlplane.HeliosProperties;
import io.helios.core.secret.SecretBox;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.validation.autoconfigure.ValidationAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.context.annotation.Configuration;

import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class SecretsConfigurationTest {

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(HeliosProperties.class)
    static class PropertiesOnly {
    }

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ValidationAutoConfiguration.class))
            .withUserConfiguration(PropertiesOnly.class, SecretsConfiguration.class, EndpointSecrets.class);

    @Test
    void missingKeyFailsTheStartupNamingTheProperty() {
        runner.run(ctx -> {
            assertThat(ctx).hasFailed();
            assertThat(ctx.getStartupFailure()).rootCause().hasMessageContaining("helios.secrets.active-key");
        });
    }

    @Test
    void shortKeyFailsTheStartupWithoutShowingIt() {
        runner.withPropertyValues("helios.secrets.active-key=k1", "helios.secrets.keys.k1=c2hvcnQ=").run(ctx -> {
            assertThat(ctx).hasFailed();
            assertThat(ctx.getStartupFailure()).rootCause().hasMessageContaining("must be 32 bytes")
                    .hasMessageNotContaining("c2hvcnQ=");
        });
    }

    @Test
    void sealsPasswordsBoundToTheirEndpoint() {
        runner.withPropertyValues("helios.secrets.active-key=k1",
                "helios.secrets.keys.k1=dGVzdC1rZXktdGhpcnR5LXR3by1ieXRlcy1sb25nISE=").run(ctx -> {
            assertThat(ctx).hasSingleBean(SecretBox.class);
            EndpointSecrets secrets = ctx.getBean(EndpointSecrets.class);
            UUID id = UUID.randomUUID();
            byte[] sealed = secrets.seal(id, "pw");
            assertThat(secrets.open(id, sealed)).isEqualTo("pw");
            assertThat(ctx.getBean(HeliosProperties.class).leases().ttl()).hasSeconds(15);
            assertThat(ctx.getBean(HeliosProperties.class).toString()).doesNotContain("dGVzdC1r");
        });
    }
}
