package io.helios.worker.config;

import io.helios.postgres.copy.CopyOptions;

import io.helios.core.capture.CaptureLimits;
import io.helios.core.spill.SpillDirectory;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * Worker configuration under {@code helios}.
 *
 * @param worker  identity, control plane, capacity and heartbeat
 * @param apply   grouping of source transactions into target transactions
 * @param secrets the keyring that opens endpoint passwords sealed by the control plane
 * @param broker  whether to listen for assignment events on the AMQP broker
 * @param capture which capture engine reads the slots
 * @param retry   how a replication retries failures that reconnecting may cure
 */
@Validated
@ConfigurationProperties("helios")
public record WorkerProperties(@Valid @NotNull Worker worker, @Valid @NotNull Apply apply,
                               @Valid @NotNull Secrets secrets, @Valid @NotNull Broker broker,
                               @Valid @NotNull Capture capture, @Valid @DefaultValue Retry retry) {

    /**
     * @param id              this worker's id; empty to take it from the credential ({@code idClaim}), which is
     *                        what the control plane goes by anyway: when both are there they must agree
     * @param leaseTtl        the lease TTL assumed until the control plane's first answer, which carries the real one
     * @param token           the worker's own bearer token (a JWT with role {@code worker} that names this worker);
     *                        exactly one of {@code token}, {@code tokenFile} and {@code oauth2} is set
     * @param tokenFile       a file holding that token, read again whenever it changes (a mounted Kubernetes Secret)
     * @param oauth2          or an OAuth2 client-credentials grant of the worker's own client at the identity provider
     * @param idClaim         the claim of the worker's token that names it (as the control plane's
     *                        {@code helios.security.jwt.worker-id-claim}), to learn its id when {@code id} is empty
     * @param idPrefix        what that claim's value starts with before the id (the control plane's {@code worker-id-prefix})
     * @param renewalMargin   the worker stops applying when it could not renew its leases for the TTL minus this
     *                        margin, before the control plane may give them away; unset means a third of the TTL
     * @param shutdownTimeout on shutdown, how long the worker waits for its runners to stop (in parallel) before it
     *                        releases its leases anyway
     */
    public record Worker(String id, @NotBlank String controlPlaneUrl, @Min(1) @DefaultValue("16") int capacity,
                         @NotNull @DefaultValue("3s") Duration heartbeatInterval,
                         @NotNull @DefaultValue("15s") Duration leaseTtl,
                         String token, String tokenFile,
                         @Valid @DefaultValue OAuth2 oauth2,
                         @DefaultValue("sub") String idClaim, @DefaultValue("worker:") String idPrefix,
                         Duration renewalMargin,
                         @NotNull @DefaultValue("15s") Duration shutdownTimeout) {

        @Override
        public String toString() {
            return "Worker[id=" + id + ", controlPlaneUrl=" + controlPlaneUrl + ", capacity=" + capacity
                    + ", token=" + (token == null || token.isBlank() ? "none" : "***") + ", tokenFile=" + tokenFile
                    + ", oauth2=" + oauth2 + "]";
        }
    }

    /**
     * The worker's OAuth2 client-credentials grant (through Spring Security's OAuth2 client): one client per
     * worker at the identity provider (for example a Keycloak client with a service account), whose tokens carry
     * the {@code worker} role and name the worker ({@code idClaim}). Used when {@code tokenUri} is set.
     *
     * @param tokenUri     the provider's token endpoint
     * @param clientId     the worker's client id
     * @param clientSecret the client's secret
     * @param scope        optional scopes to ask for (space separated)
     * @param audience     optional {@code audience} parameter of the token request (providers such as Auth0 need it)
     */
    public record OAuth2(String tokenUri, String clientId, String clientSecret, String scope, String audience) {

        public boolean configured() {
            return tokenUri != null && !tokenUri.isBlank();
        }

        @Override
        public String toString() {
            return "OAuth2[tokenUri=" + tokenUri + ", clientId=" + clientId + ", clientSecret="
                    + (clientSecret == null || clientSecret.isBlank() ? "none" : "***") + "]";
        }
    }

    /**
     * Source transactions are applied in groups, each group one target transaction: a group is as
     * many whole transactions as have already arrived when its first one is taken, in commit
     * order, up to the first bound reached. A busy stream so commits rarely, an idle one at once.
     * A source transaction is never split: one that exceeds a bound alone makes a group alone.
     *
     * @param maxTransactions most source transactions grouped into one target transaction
     * @param maxRows         most rows in one target transaction (one large source transaction may exceed it; it is never split);
     *                        a replication whose QoS tier sets a smaller batch gets the tier's
     * @param pollTimeout     how long the applier waits for the first transaction of a group
     * @param bufferedTransactions capture buffer between the stream and the applier, in transactions
     * @param bufferedBytes   the same buffer's bound in (estimated) bytes: what a replication holds in memory
     *                        ahead of the applier, and how soon a slower applier pushes back on the server
     * @param maxTransactionBytes largest single source transaction (estimated bytes of row data) held in memory
     *                        while it is assembled; a larger one spills to a file in {@code spillDirectory} and is
     *                        still applied whole, in one target transaction, read back from disk a chunk at a time
     * @param maxGroupBytes   most estimated bytes of row data in one target transaction (what a group holds in memory
     *                        beside the capture buffer; one larger source transaction still passes, alone)
     * @param groupLagBudget  how long a group keeps taking transactions that keep arriving, counted from when its
     *                        first was taken: what grouping may add to a transaction's lag while the stream is busy
     * @param spillDirectory  where transactions larger than {@code maxTransactionBytes} spill (empty: {@code helios-spill}
     *                        in the system's temporary directory); files are owner-only, sealed with a key held only in
     *                        memory, deleted once the target holds the transaction, and swept when a worker starts
     * @param tableDiscoveryInterval how often a streaming replication looks for source tables that joined its scope
     *                        (then adds them to its publication and copies them); 0 turns it off
     * @param copyParallelism COPY sessions an initial copy of a large tenant uses at most (1: always one session and
     *                        one target transaction)
     * @param copyParallelAbove a tenant whose tables take at least this much on the source is copied by several
     *                        sessions (each part committed on its own, the checkpoint last); a smaller one in one
     *                        transaction; tables of a quarter of it (at least 8 MB) are split into block ranges
     */
    public record Apply(@Min(1) @DefaultValue("2000") int maxTransactions, @Min(1) @DefaultValue("50000") int maxRows,
                        @NotNull @DefaultValue("200ms") Duration pollTimeout,
                        @Min(1) @DefaultValue("4096") int bufferedTransactions,
                        @NotNull @DefaultValue("1MB") DataSize bufferedBytes,
                        @NotNull @DefaultValue("64MB") DataSize maxTransactionBytes,
                        @NotNull @DefaultValue("16MB") DataSize maxGroupBytes,
                        @NotNull @DefaultValue("50ms") Duration groupLagBudget,
                        @DefaultValue("") String spillDirectory,
                        @NotNull @DefaultValue("10s") Duration tableDiscoveryInterval,
                        @Min(1) @Max(64) @DefaultValue("2") int copyParallelism,
                        @NotNull @DefaultValue("64MB") DataSize copyParallelAbove) {

        /** How an initial copy may spread out. */
        public CopyOptions copyOptions() {
            // tables of a quarter of that (16 MB by default) are split, so that no single table holds the sessions back
            return new CopyOptions(copyParallelism, copyParallelAbove.toBytes(),
                    Math.max(8L << 20, copyParallelAbove.toBytes() / 4));
        }

        /** The capture engines' memory bounds and spill directory. */
        public CaptureLimits captureLimits() {
            Path spill = spillDirectory == null || spillDirectory.isBlank() ? SpillDirectory.defaultRoot()
                    : Path.of(spillDirectory);
            return new CaptureLimits(bufferedTransactions, bufferedBytes.toBytes(), maxTransactionBytes.toBytes(), spill);
        }
    }

    public record Secrets(@NotBlank String activeKey, @NotNull Map<String, String> keys) {

        @Override
        public String toString() {
            return "Secrets[activeKey=" + activeKey + ", keys=" + keys.keySet() + "]";
        }
    }

    public record Broker(@DefaultValue("true") boolean enabled) {
    }

    /** The engines behind {@link io.helios.core.capture.CaptureEngine}; both pass the same end-to-end tests. */
    public enum Engine {
        /** Reads pgoutput straight from the slot: exact values, lowest cost per row. The default. */
        PGOUTPUT,
        /** Debezium Embedded (PostgreSQL connector on pgoutput), the reference engine. */
        DEBEZIUM
    }

    public record Capture(@NotNull @DefaultValue("PGOUTPUT") Engine engine) {
    }

    /**
     * Retries of a replication after a failure that reconnecting may cure (a lost connection, a
     * server restart; see {@code io.helios.postgres.error.RetryClassifier}): waits growing
     * exponentially from {@code initialBackoff} up to {@code maxBackoff}, each with jitter, and
     * before each attempt a heartbeat answer that confirms the lease. There is no attempt limit:
     * the lease is the deadline (the control plane stops or re-assigns the replication), and a
     * source that is down for hours is caught up by itself when it returns.
     *
     * @param initialBackoff the wait before the first retry
     * @param maxBackoff     the longest wait between attempts
     * @param healthyAfter   a replication that streamed this long without error starts again from
     *                       {@code initialBackoff} when it next fails, instead of where the last
     *                       outage left the backoff
     */
    public record Retry(@NotNull @DurationMin(millis = 1) @DefaultValue("500ms") Duration initialBackoff,
                        @NotNull @DurationMin(millis = 1) @DefaultValue("30s") Duration maxBackoff,
                        @NotNull @DefaultValue("60s") Duration healthyAfter) {
    }
}
