package io.helios.failover;

import io.helios.core.secret.SecretBox;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Builds the {@link SecretBox} from {@code helios.secrets.*}: the keyring that opens endpoint
 * passwords (context {@code endpoint:<id>}). A malformed key fails the startup with a message
 * naming the property, never the key material.
 */
@Configuration(proxyBeanMethods = false)
class SecretsConfiguration {

    @Bean
    SecretBox secretBox(FailoverProperties properties) {
        FailoverProperties.Secrets secrets = properties.secrets();
        try {
            return new SecretBox(secrets.activeKey(), secrets.keys());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("helios.secrets is not valid: " + e.getMessage(), e);
        }
    }
}
