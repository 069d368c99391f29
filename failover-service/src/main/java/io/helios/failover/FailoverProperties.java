package io.helios.failover;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Typed configuration of the failover service, under {@code helios.*}. Immutable; validated at
 * startup so that a missing key stops the service with a message naming the property.
 *
 * @param observerId  this replica's name among the observers (unique per replica; default the host name)
 * @param controlPlane where the control plane answers and the bearer token the service calls it with
 * @param secrets      the keyring that opens endpoint passwords (the workers' and the control plane's)
 * @param probe        health probing of primaries and targets
 * @param decision     how often the leader evaluates and how long its lease lasts
 */
@Validated
@ConfigurationProperties("helios")
public record FailoverProperties(String observerId,
                                 @Valid @DefaultValue ControlPlane controlPlane,
                                 @Valid @NotNull(message = "helios.secrets.active-key and helios.secrets.keys.<id> must be "
                                         + "configured: they open the endpoint passwords the probes connect with")
                                 Secrets secrets,
                                 @Valid @DefaultValue Probe probe,
                                 @Valid @DefaultValue Decision decision) {

    /**
     * @param url     the control plane's base URL
     * @param token   bearer token with roles {@code service} and {@code admin}, no tenants claim
     * @param timeout bound of every call (connect and response)
     */
    public record ControlPlane(@DefaultValue("http://127.0.0.1:8081") @NotBlank String url, String token,
                               @DefaultValue("5s") @NotNull Duration timeout) {

        @Override
        public String toString() {
            return "ControlPlane[url=" + url + ", token=" + (token == null || token.isBlank() ? "none" : "set")
                    + ", timeout=" + timeout + "]";
        }
    }

    /** The keyring that sealed endpoint passwords (AES-256-GCM), as the control plane has it. */
    public record Secrets(@NotBlank String activeKey, @NotEmpty Map<String, String> keys) {

        @Override
        public String toString() {
            return "Secrets[activeKey=" + activeKey + ", keys=" + (keys == null ? "[]" : keys.keySet()) + "]";
        }
    }

    /**
     * @param interval         time between two probes of one endpoint
     * @param connectTimeout   bound of the TCP connect and authentication
     * @param statementTimeout bound of {@code SELECT 1} and of the write probe
     * @param historyRetention probe results older than this are deleted
     * @param refreshInterval  how often the set of monitored endpoints is read from the control plane
     * @param addressOverrides {@code host:port=host:port} pairs: this observer reaches an endpoint's address through
     *                         another one (a private link, a proxy); the connections of failovers use them too
     */
    public record Probe(@DefaultValue("1s") @NotNull Duration interval,
                        @DefaultValue("2s") @NotNull Duration connectTimeout,
                        @DefaultValue("2s") @NotNull Duration statementTimeout,
                        @DefaultValue("1h") @NotNull Duration historyRetention,
                        @DefaultValue("2s") @NotNull Duration refreshInterval,
                        @DefaultValue List<String> addressOverrides) {
    }

    /**
     * @param enabled      automatic failover on (manual failovers work either way)
     * @param interval     how often the leader evaluates every tenant
     * @param leaderLease  how long the leader lease lasts without renewal
     * @param observationMaxAge an observer's view older than this does not count (the observer is gone)
     * @param defaultThreshold  down time before failover when no policy says otherwise
     * @param defaultRpoBound   largest last-known lag allowed when no policy says otherwise
     */
    public record Decision(@DefaultValue("true") boolean enabled,
                           @DefaultValue("1s") @NotNull Duration interval,
                           @DefaultValue("10s") @NotNull Duration leaderLease,
                           @DefaultValue("10s") @NotNull Duration observationMaxAge,
                           @DefaultValue("5s") @NotNull Duration defaultThreshold,
                           @DefaultValue("5s") @NotNull Duration defaultRpoBound) {
    }
}
