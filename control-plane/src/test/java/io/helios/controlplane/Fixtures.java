package io.helios.controlplane;

import io.helios.testsupport.PostgresCluster;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Creates endpoints, tenants and replications through the API, asserting each succeeded. */
public final class Fixtures {

    private final RunningControlPlane cp;

    public Fixtures(RunningControlPlane cp) {
        this.cp = cp;
    }

    /** Registers a database of the shared test cluster (created first) as an endpoint; answers its id. */
    public String endpoint(String name, String database) {
        PostgresCluster pg = RunningControlPlane.cluster();
        pg.createDatabase(database);
        RunningControlPlane.Response r = cp.post("/api/v1/endpoints", Json.of("name", name, "region", "eu-" + name,
                "jdbcUrl", pg.jdbcUrl(database), "username", pg.user(), "password", pg.password()));
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        return r.text("id");
    }

    public String tenant(String id) {
        RunningControlPlane.Response r = cp.post("/api/v1/tenants", Json.of("id", id, "name", "Tenant " + id));
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        return id;
    }

    public String replication(String tenant, String source, String target) {
        RunningControlPlane.Response r = cp.post("/api/v1/replications", Json.of("tenantId", tenant,
                "sourceEndpointId", source, "targetEndpointId", target, "tenancyModel", "SCHEMA",
                "sourceSchema", "public", "includeTables", List.of("orders*")));
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        return r.text("id");
    }

    public String state(String replicationId) {
        return cp.get("/api/v1/replications/" + replicationId).text("state");
    }
}
