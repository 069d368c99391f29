package io.helios.migration.endpoint;

import io.helios.core.secret.SecretBox;
import io.helios.migration.MigrationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Builds the {@link SecretBox} from {@code helios.secrets.*}; a malformed key fails the startup naming the property. */
@Configuration(proxyBeanMethods = false)
class SecretsConfiguration {

    @Bean
    SecretBox secretBox(MigrationProperties properties) {
        MigrationProperties.Secrets secrets = properties.secrets();
        try {
            return new SecretBox(secrets.activeKey(), secrets.keys());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("helios.secrets is not valid: " + e.getMessage(), e);
        }
    }
}
