package io.helios.controlplane.secret;

import io.helios.controlplane.HeliosProperties;
import io.helios.core.secret.SecretBox;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Builds the {@link SecretBox} from {@code helios.secrets.*}. A missing or malformed key fails
 * the startup with a message naming the property, never the key material.
 */
@Configuration(proxyBeanMethods = false)
class SecretsConfiguration {

    @Bean
    SecretBox secretBox(HeliosProperties properties) {
        HeliosProperties.Secrets secrets = properties.secrets();
        if (secrets == null || secrets.activeKey() == null || secrets.keys() == null || secrets.keys().isEmpty()) {
            throw new IllegalStateException("helios.secrets.active-key and helios.secrets.keys.<id> (base64 of 32 bytes)"
                    + " must be configured: they encrypt endpoint passwords at rest");
        }
        try {
            return new SecretBox(secrets.activeKey(), secrets.keys());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("helios.secrets is not valid: " + e.getMessage(), e);
        }
    }
}
