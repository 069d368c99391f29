package io.helios.controlplane;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import org.springframework.util.unit.DataSize;

import java.time.Duration;
import java.util.Map;

/**
 * Typed configuration of the control plane, under {@code helios.*}. Immutable; validated at
 * startup so a missing key stops the application with a message naming the property.
 */
@Validated
@ConfigurationProperties("helios")
public record HeliosProperties(@Valid @NotNull(message = "helios.secrets.active-key and helios.secrets.keys.<id> (base64 of"
                                       + " 32 random bytes) must be configured: they encrypt endpoint passwords at rest")
                               Secrets secrets,
                               @Valid @DefaultValue Leases leases,
                               @Valid @DefaultValue Broker broker,
                               @Valid @DefaultValue Endpoints endpoints,
                               @Valid @DefaultValue WalGuard walGuard,
                               @Valid @DefaultValue Sweeper sweeper) {

    /**
     * The keyring that seals endpoint passwords (AES-256-GCM).
     *
     * @param activeKey id of the key that seals new values ({@code helios.secrets.active-key})
     * @param keys      key id to base64 of 32 random bytes ({@code helios.secrets.keys.<id>});
     *                  older keys stay listed so values sealed under them still open
     */
    public record Secrets(@NotBlank(message = "helios.secrets.active-key must name the key that seals passwords")
                          String activeKey,
                          @NotEmpty(message = "helios.secrets.keys.<id> must hold at least one base64 32-byte key")
                          Map<String, String> keys) {

        @Override
        public String toString() {
            return "Secrets[activeKey=" + activeKey + ", keys=" + (keys == null ? "[]" : keys.keySet()) + "]";
        }
    }

    /**
     * @param ttl               a lease expires when its worker has not heartbeated for this long
     * @param heartbeatInterval how often workers are told to heartbeat
     * @param minDwell          a lease moves to another worker (rebalancing) only after its holder has had it this long
     * @param maxMoves          most leases moved to one worker per heartbeat (0 turns rebalancing off)
     * @param expiryInterval    how often leases of silent workers are expired outside heartbeats;
     *                          unset means a third of the ttl
     */
    public record Leases(@DefaultValue("15s") @NotNull Duration ttl,
                         @DefaultValue("3s") @NotNull Duration heartbeatInterval,
                         @DefaultValue("60s") @NotNull Duration minDwell,
                         @DefaultValue("2") @Min(0) int maxMoves,
                         Duration expiryInterval) {

        /** The period of the scheduled expiry: {@code expiryInterval}, or a third of the ttl. */
        public Duration expiryPeriod() {
            return expiryInterval != null && !expiryInterval.isNegative() && !expiryInterval.isZero()
                    ? expiryInterval : ttl.dividedBy(3);
        }
    }

    /** @param enabled whether assignment changes are published on the AMQP broker */
    public record Broker(@DefaultValue("true") boolean enabled) {
    }

    /** @param checkTimeout bound on connecting to an endpoint to check it (creation, preflight) */
    public record Endpoints(@DefaultValue("5s") @NotNull Duration checkTimeout) {
    }

    /**
     * The WAL guard: reads every replication's slot on its source on a schedule.
     *
     * @param enabled           whether the guard runs at all
     * @param interval          time between two passes
     * @param warnRetainedBytes retained WAL from which an alert is published
     * @param maxRetainedBytes  retained WAL past which a PAUSED or FAILED replication's slot is dropped and the
     *                          replication marked as needing a fresh copy
     * @param dropSlots         false to only alert, never drop (the limit is then reported, not enforced)
     * @param staleAfter        an ACTIVE replication whose worker has not reported for this long is shown stale;
     *                          unset: three lease TTLs
     * @param statementTimeout  bound on each statement the guard and the sweeper run on an endpoint
     */
    public record WalGuard(@DefaultValue("true") boolean enabled,
                           @DefaultValue("30s") @NotNull Duration interval,
                           @DefaultValue("5GB") @NotNull DataSize warnRetainedBytes,
                           @DefaultValue("10GB") @NotNull DataSize maxRetainedBytes,
                           @DefaultValue("true") boolean dropSlots,
                           Duration staleAfter,
                           @DefaultValue("10s") @NotNull Duration statementTimeout) {
    }

    /**
     * The sweeper of orphaned {@code helios_*} slots and publications.
     *
     * @param enabled  whether it runs
     * @param interval time between two sweeps
     * @param grace    an orphan is dropped only once it was first seen at least this long ago (and is inactive)
     * @param drop     false to only report orphans
     */
    public record Sweeper(@DefaultValue("true") boolean enabled,
                          @DefaultValue("1m") @NotNull Duration interval,
                          @DefaultValue("15m") @NotNull Duration grace,
                          @DefaultValue("true") boolean drop) {
    }
}
