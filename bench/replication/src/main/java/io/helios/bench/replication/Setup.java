package io.helios.bench.replication;

import io.helios.stack.HeliosApi;
import io.helios.testsupport.PostgresCluster;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * What a benchmark run works on: the source cluster (region a), the target cluster (region b)
 * holding both replicas in separate databases, and the Helios stack's API. Also starts the two
 * systems under test: a Helios replication, and a native publication with its subscription.
 */
record Setup(PostgresCluster source, PostgresCluster target, HeliosApi api, Duration waitLimit) {

    /** Bound on preparing a run (starting the replications, copying the initial rows); {@code waitLimit} bounds catch-ups. */
    static final Duration SETUP_LIMIT = Duration.ofMinutes(10);

    static final String SOURCE_DB = "postgres";
    static final String HELIOS_DB = "helios_tgt";
    static final String NATIVE_DB = "native_tgt";
    static final String PUBLICATION = "native_pub";
    static final String SUBSCRIPTION = "native_sub";

    /** Creates and starts a Helios replication of {@code tenant} with the given scope fields, waiting until it streams. */
    String startHelios(String tenant, Map<String, Object> scope) {
        String src = api.createEndpoint("bench-source", "region-a", source.jdbcUrl(SOURCE_DB), source.user(), source.password());
        String tgt = api.createEndpoint("bench-target", "region-b", target.jdbcUrl(HELIOS_DB), target.user(), target.password());
        api.createTenant(tenant, "Benchmark tenant");
        Map<String, Object> body = new HashMap<>(scope);
        body.putAll(Map.of("tenantId", tenant, "sourceEndpointId", src, "targetEndpointId", tgt));
        String id = api.createReplication(body);
        api.action(id, "start");
        // a SCHEMA replication copies the tenant's rows first (COPYING), then streams
        Waits.condition(SETUP_LIMIT, () -> "STREAMING".equals(api.status(id).get("phase")),
                () -> "Helios replication did not reach STREAMING within " + SETUP_LIMIT.toSeconds() + " s: " + api.status(id));
        return id;
    }

    /**
     * Creates the native publication ({@code FOR ...} clause given) and an enabled subscription
     * in the native target database; with {@code copyData}, waits until its table sync is done.
     * {@code -Dnative.binary=true} asks for binary transfer.
     */
    void startNative(String publicationScope, boolean copyData) {
        Sql.exec(source, SOURCE_DB, "CREATE PUBLICATION " + PUBLICATION + " " + publicationScope);
        Sql.exec(target, NATIVE_DB, "CREATE SUBSCRIPTION " + SUBSCRIPTION + " CONNECTION 'host=127.0.0.1 port=" + source.port()
                + " dbname=" + SOURCE_DB + " user=" + source.user() + " password=" + source.password() + "'"
                + " PUBLICATION " + PUBLICATION + " WITH (copy_data = " + copyData
                + ", binary = " + Boolean.getBoolean("native.binary") + ")");
        Waits.condition(SETUP_LIMIT, () -> Sql.count(target, NATIVE_DB,
                        "SELECT count(*) FROM pg_subscription_rel WHERE srsubstate <> 'r'") == 0,
                () -> "native subscription did not finish its table sync within " + SETUP_LIMIT.toSeconds() + " s");
    }

    void enableNative(boolean enabled) {
        Sql.exec(target, NATIVE_DB, "ALTER SUBSCRIPTION " + SUBSCRIPTION + (enabled ? " ENABLE" : " DISABLE"));
    }
}
