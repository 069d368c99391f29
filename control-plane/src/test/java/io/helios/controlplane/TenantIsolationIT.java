package io.helios.controlplane;

import io.helios.controlplane.RunningControlPlane.Client;
import io.helios.controlplane.RunningControlPlane.Response;
import io.helios.security.Role;
import io.helios.testsupport.PostgresCluster;
import io.helios.testsupport.TestTokens;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tenant isolation of definitions (issue 13): a tenant-restricted admin replicates only its
 * tenant's endpoints and schemas, never with the DATABASE model; no caller writes into what
 * another tenant owns or claims; the ownership routes answer per role and tenant restriction.
 * <p>
 * Layout: {@code own} is owned by iso-acme, {@code theirs} by iso-globex, {@code shared} is shared
 * and granted to both. On {@code shared}, acme claims {@code acme}, globex claims {@code globex},
 * both share {@code rows}.
 */
class TenantIsolationIT {

    private static final String MISSING = "00000000-0000-0000-0000-000000000000";

    private static RunningControlPlane cp;
    private static Fixtures fx;
    private static String own;
    private static String theirs;
    private static String shared;
    private static Client acme;

    @BeforeAll
    static void start() {
        cp = RunningControlPlane.start("isolation", Map.of(), null);
        fx = new Fixtures(cp);
        fx.tenant("iso-acme");
        fx.tenant("iso-globex");
        own = endpoint("iso-own", "iso_own", "iso-acme");
        theirs = endpoint("iso-theirs", "iso_theirs", "iso-globex");
        shared = endpoint("iso-shared", "iso_shared", null);
        acme = cp.as(TestTokens.mint("iso-acme-admin", Role.ADMIN, List.of("iso-acme")));
        for (String tenant : List.of("iso-acme", "iso-globex")) {
            expect(cp.put("/api/v1/tenants/" + tenant + "/endpoints/" + shared, ""), 200);
            expect(cp.put(claim(tenant, shared, "rows"), Json.of("shared", true)), 200);
        }
        expect(cp.put(claim("iso-acme", shared, "acme"), ""), 200);
        expect(cp.put(claim("iso-globex", shared, "globex"), ""), 200);
        expect(cp.put(claim("iso-globex", theirs, "globex"), ""), 200);
        // a restricted admin claims on its tenant's own endpoint
        expect(acme.put(claim("iso-acme", own, "acme"), ""), 200);
    }

    @AfterAll
    static void stop() {
        cp.close();
    }

    @Test
    void restrictedAdminReplicatesItsOwnEndpointsAndSchemas() {
        Response r = expect(acme.post("/api/v1/replications", schemaModel(own, "acme", shared, "acme")), 201);
        expect(acme.put("/api/v1/replications/" + r.text("id"), schemaModel(own, "acme", shared, "acme")), 200);
        expect(acme.delete("/api/v1/replications/" + r.text("id")), 204);
        Response rows = expect(acme.post("/api/v1/replications", Json.of("tenantId", "iso-acme",
                "sourceEndpointId", own, "targetEndpointId", shared, "tenancyModel", "ROW", "sourceSchema", "acme",
                "targetSchema", "rows")), 201);
        expect(acme.delete("/api/v1/replications/" + rows.text("id")), 204);
    }

    @Test
    void restrictedAdminCannotNameAnotherTenantsEndpoint() {
        refused(acme.post("/api/v1/replications", schemaModel(theirs, "globex", own, "acme")), 403,
                "sourceEndpointId: endpoint '" + theirs + "' is neither owned by nor granted to tenant 'iso-acme'");
        refused(acme.post("/api/v1/replications", schemaModel(own, "acme", theirs, "acme")), 403,
                "targetEndpointId: endpoint '" + theirs + "' is neither owned by nor granted to tenant 'iso-acme'");
        // a missing endpoint is refused alike: the caller does not learn which ids exist
        refused(acme.post("/api/v1/replications", schemaModel(own, "acme", MISSING, "acme")), 403,
                "targetEndpointId: endpoint '" + MISSING + "' is neither owned by nor granted to tenant 'iso-acme'");
    }

    @Test
    void restrictedAdminCannotCopyAnotherTenantsSchema() {
        refused(acme.post("/api/v1/replications", schemaModel(shared, "globex", own, "acme")), 403,
                "sourceSchema: schema 'globex' on endpoint '" + shared + "' is not claimed exclusively by tenant 'iso-acme'");
        refused(acme.post("/api/v1/replications", schemaModel(shared, "public", own, "acme")), 403,
                "sourceSchema: schema 'public' on endpoint '" + shared + "' is not claimed");
        // shared ROW tables are not a tenant's schema to copy whole
        refused(acme.post("/api/v1/replications", schemaModel(shared, "rows", own, "acme")), 403,
                "sourceSchema: schema 'rows' on endpoint '" + shared + "' is not claimed exclusively");
    }

    @Test
    void restrictedAdminCannotTargetAnotherTenantsSchema() {
        refused(acme.post("/api/v1/replications", schemaModel(own, "acme", shared, "globex")), 403,
                "targetSchema: schema 'globex' on endpoint '" + shared + "' is not claimed exclusively by tenant 'iso-acme'");
        refused(acme.post("/api/v1/replications", schemaModel(own, "acme", shared, "unclaimed")), 403,
                "targetSchema: schema 'unclaimed'");
    }

    @Test
    void restrictedAdminCannotUseTheDatabaseModel() {
        refused(acme.post("/api/v1/replications", Json.of("tenantId", "iso-acme", "sourceEndpointId", own,
                "targetEndpointId", shared, "tenancyModel", "DATABASE")), 403,
                "tenancyModel: the DATABASE model copies every schema of the source database; it needs a token valid "
                        + "for all tenants");
    }

    @Test
    void noCallerWritesIntoWhatAnotherTenantOwnsOrClaims() {
        refused(cp.post("/api/v1/replications", schemaModel(own, "acme", shared, "globex")), 409,
                "schema 'globex' on endpoint '" + shared + "' is claimed by tenant 'iso-globex'");
        // a SCHEMA copy truncates its target: not into shared ROW tables either
        refused(cp.post("/api/v1/replications", schemaModel(own, "acme", shared, "rows")), 409,
                "schema 'rows' on endpoint '" + shared + "' is claimed as shared by tenant 'iso-globex'");
        refused(cp.post("/api/v1/replications", schemaModel(own, "acme", theirs, "acme")), 409,
                "targetEndpointId: endpoint '" + theirs + "' is owned by tenant 'iso-globex'");
        refused(cp.post("/api/v1/replications", Json.of("tenantId", "iso-acme", "sourceEndpointId", own,
                "targetEndpointId", shared, "tenancyModel", "DATABASE")), 409, "is claimed by tenant 'iso-globex'");
        refused(cp.post("/api/v1/replications", Json.of("tenantId", "iso-acme", "sourceEndpointId", own,
                "targetEndpointId", shared, "tenancyModel", "ROW", "sourceSchema", "acme", "targetSchema", "globex")),
                409, "claimed by tenant 'iso-globex'");
        // what nobody claims stays the unrestricted admin's to use
        Response free = expect(cp.post("/api/v1/replications", schemaModel(own, "acme", shared, "unclaimed")), 201);
        expect(cp.delete("/api/v1/replications/" + free.text("id")), 204);
    }

    @Test
    void aSchemaHasOneOwnerAndIsNeverBothOwnedAndShared() {
        refused(cp.put(claim("iso-acme", shared, "globex"), ""), 409,
                "schema 'globex' on endpoint '" + shared + "' is claimed by tenant 'iso-globex'");
        refused(cp.put(claim("iso-acme", shared, "globex"), Json.of("shared", true)), 409, "iso-globex");
        refused(cp.put(claim("iso-acme", shared, "rows"), Json.of("shared", false)), 409,
                "is claimed as shared by tenant 'iso-globex'");
        refused(cp.put(claim("iso-acme", shared, "bad-name"), ""), 400, "schema: 'bad-name' is not a valid identifier");
        refused(cp.put(claim("iso-acme", MISSING, "x"), ""), 404, "endpointId");
    }

    @Test
    void ownershipRoutesAnswerPerRoleAndTenant() {
        Client operator = cp.as(TestTokens.operator());
        Client viewer = cp.as(TestTokens.mint("iso-acme-viewer", Role.VIEWER, List.of("iso-acme")));
        assertThat(expect(viewer.get("/api/v1/tenants/iso-acme/schemas"), 200).body()).contains("\"acme\"", "\"rows\"")
                .doesNotContain("globex");
        assertThat(expect(viewer.get("/api/v1/tenants/iso-acme/endpoints"), 200).body()).contains(shared);
        expect(viewer.get("/api/v1/tenants/iso-globex/schemas"), 404);
        expect(acme.get("/api/v1/tenants/iso-globex/endpoints"), 404);
        expect(operator.put(claim("iso-acme", own, "more"), ""), 403);
        expect(viewer.put(claim("iso-acme", own, "more"), ""), 403);
        // a restricted admin: never grants endpoints, claims only exclusively and only on its tenant's endpoints
        expect(acme.put("/api/v1/tenants/iso-acme/endpoints/" + theirs, ""), 403);
        expect(acme.delete("/api/v1/tenants/iso-acme/endpoints/" + shared), 403);
        refused(acme.put(claim("iso-acme", shared, "mine"), ""), 403,
                "endpoint '" + shared + "' is not owned by tenant 'iso-acme'");
        refused(acme.put(claim("iso-acme", own, "wide"), Json.of("shared", true)), 403, "shared schema claim");
        expect(acme.delete(claim("iso-acme", shared, "acme")), 403);
        expect(acme.put(claim("iso-globex", theirs, "x"), ""), 404);
        expect(acme.put(claim("iso-acme", own, "more"), ""), 200);
        expect(acme.delete(claim("iso-acme", own, "more")), 204);
        expect(acme.delete(claim("iso-acme", own, "more")), 404);
        // the unrestricted admin grants and withdraws
        expect(cp.put("/api/v1/tenants/iso-acme/endpoints/" + own, ""), 200);
        expect(cp.delete("/api/v1/tenants/iso-acme/endpoints/" + own), 204);
        expect(cp.delete("/api/v1/tenants/iso-acme/endpoints/" + own), 404);
    }

    @Test
    void endpointsShowTheirOwnerAndRestrictedAdminsSeeWhatTheirTenantMayUse() {
        assertThat(expect(cp.get("/api/v1/endpoints/" + own), 200).text("ownerTenantId")).isEqualTo("iso-acme");
        assertThat(expect(cp.get("/api/v1/endpoints/" + shared), 200).text("ownerTenantId")).isNull();
        assertThat(acme.get("/api/v1/endpoints").body()).contains(own, shared).doesNotContain(theirs);
        expect(acme.get("/api/v1/endpoints/" + theirs), 404);
        refused(cp.post("/api/v1/endpoints", Json.of("name", "iso-x", "region", "r", "jdbcUrl",
                RunningControlPlane.cluster().jdbcUrl("iso_own"), "username", "u", "ownerTenantId", "nobody")), 404,
                "ownerTenantId: 'nobody' does not exist");
        // a tenant that owns endpoints is not removed from under them
        refused(cp.delete("/api/v1/tenants/iso-globex"), 409, "1 owned endpoint(s)");
    }

    private static String endpoint(String name, String database, String owner) {
        PostgresCluster pg = RunningControlPlane.cluster();
        pg.createDatabase(database);
        return expect(cp.post("/api/v1/endpoints", Json.of("name", name, "region", "eu", "jdbcUrl", pg.jdbcUrl(database),
                "username", pg.user(), "password", pg.password(), "ownerTenantId", owner)), 201).text("id");
    }

    private static String claim(String tenant, String endpoint, String schema) {
        return "/api/v1/tenants/" + tenant + "/schemas/" + endpoint + "/" + schema;
    }

    private static String schemaModel(String source, String sourceSchema, String target, String targetSchema) {
        return Json.of("tenantId", "iso-acme", "sourceEndpointId", source, "targetEndpointId", target,
                "tenancyModel", "SCHEMA", "sourceSchema", sourceSchema, "targetSchema", targetSchema);
    }

    private static Response expect(Response r, int status) {
        assertThat(r.status()).as(r.toString()).isEqualTo(status);
        return r;
    }

    private static void refused(Response r, int status, String detail) {
        expect(r, status);
        assertThat(r.contentType()).contains("application/problem+json");
        assertThat(r.text("detail")).as(r.toString()).contains(detail);
    }
}
