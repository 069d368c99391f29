package io.helios.migration;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

/**
 * Typed configuration of the migration service, under {@code helios.*}. Immutable; validated at
 * startup so a missing key stops the application with a message naming the property.
 */
@Validated
@ConfigurationProperties("helios")
public record MigrationProperties(@Valid @NotNull(message = "helios.secrets.active-key and helios.secrets.keys.<id> must be"
                                          + " configured (the workers' keyring): they open the endpoints' sealed passwords")
                                  Secrets secrets,
                                  @Valid @DefaultValue ControlPlane controlPlane,
                                  @Valid @DefaultValue Broker broker,
                                  @Valid @DefaultValue Migrations migrations) {

    /** The keyring that opens endpoint passwords sealed by the control plane (AES-256-GCM). */
    public record Secrets(@NotBlank String activeKey, @NotEmpty Map<String, String> keys) {

        @Override
        public String toString() {
            return "Secrets[activeKey=" + activeKey + ", keys=" + (keys == null ? "[]" : keys.keySet()) + "]";
        }
    }

    /**
     * @param url     base URL of the control plane
     * @param token   the service's bearer token (roles service and admin); never logged
     * @param timeout bound on each call to the control plane
     */
    public record ControlPlane(@DefaultValue("http://127.0.0.1:8081") @NotBlank String url, String token,
                               @DefaultValue("5s") @NotNull Duration timeout) {

        @Override
        public String toString() {
            return "ControlPlane[url=" + url + ", token=" + (token == null || token.isBlank() ? "none" : "set")
                    + ", timeout=" + timeout + "]";
        }
    }

    /** @param enabled whether phase changes are published on the AMQP broker */
    public record Broker(@DefaultValue("true") boolean enabled) {
    }

    /**
     * @param tick               how often the driver moves due migrations forward
     * @param leaseTtl           a replica holds a migration this long without renewing; another takes over after
     * @param instanceId         this replica's name in leases (default: a random one per start)
     * @param connectTimeout     bound on opening a connection to an endpoint
     * @param statementTimeout   bound on each statement run on an endpoint outside the cutover's pause
     * @param maxCutoverAttempts cutover attempts rolled back (lag, pause budget) before the migration fails
     * @param holdLockTimeout    bound on taking the tenant's hold lock on the source (writers of an earlier hold)
     */
    public record Migrations(@DefaultValue("500ms") @NotNull Duration tick,
                             @DefaultValue("30s") @NotNull Duration leaseTtl,
                             String instanceId,
                             @DefaultValue("5s") @NotNull Duration connectTimeout,
                             @DefaultValue("10s") @NotNull Duration statementTimeout,
                             @DefaultValue("10") @Min(1) int maxCutoverAttempts) {

        public Migrations {
            if (instanceId == null || instanceId.isBlank()) {
                instanceId = "migration-service-" + UUID.randomUUID().toString().substring(0, 8);
            }
        }
    }
}
