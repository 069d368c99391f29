package io.helios.controlplane;

import io.helios.controlplane.RunningControlPlane.Response;
import io.helios.security.Role;
import io.helios.testsupport.TestTokens;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every list endpoint answers {@code {items, next}} pages of at most {@code limit} items in id
 * order; following {@code next} yields every visible item exactly once, for restricted tokens too.
 */
class ListPagingIT {

    private static RunningControlPlane cp;
    private static final List<String> TENANTS = List.of("pg-a", "pg-b", "pg-c", "pg-d", "pg-e", "pg-f", "pg-g");

    @BeforeAll
    static void start() {
        cp = RunningControlPlane.start("paging", Map.of(), null);
        Fixtures fx = new Fixtures(cp);
        TENANTS.forEach(fx::tenant);
        for (int i = 0; i < 5; i++) {
            Response r = cp.post("/api/v1/qos-policies", Json.of("name", "pg-" + i, "tier", "STANDARD",
                    "maxLagMs", 1000, "compression", "LOW", "priority", i));
            assertThat(r.status()).as(r.toString()).isEqualTo(201);
        }
        for (int i = 0; i < 5; i++) {
            Response r = cp.post("/api/v1/workers/pg-worker-" + i + "/heartbeat",
                    Json.of("address", "w" + i, "capacity", 0, "reports", List.of()));
            assertThat(r.status()).as(r.toString()).isEqualTo(200);
        }
    }

    @AfterAll
    static void stop() {
        cp.close();
    }

    /** Follows {@code next} from the first page; answers the ids in the order received. */
    private static List<String> all(RunningControlPlane.Client client, String path, int limit, String idField) {
        List<String> ids = new ArrayList<>();
        String cursor = null;
        for (int pages = 0; pages < 100; pages++) {
            String query = "?limit=" + limit + (cursor == null ? "" : "&cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8));
            Response r = client.get(path + query);
            assertThat(r.status()).as(r.toString()).isEqualTo(200);
            JsonNode items = r.json().get("items");
            assertThat(items.size()).isLessThanOrEqualTo(limit);
            items.forEach(item -> ids.add(item.get(idField).asString()));
            JsonNode next = r.json().get("next");
            if (next == null || next.isNull()) {
                return ids;
            }
            cursor = next.asString();
        }
        throw new AssertionError("more than 100 pages");
    }

    @Test
    void pagesThroughEveryTenantExactlyOnce() {
        List<String> ids = all(cp.as(null), "/api/v1/tenants", 2, "id");
        assertThat(ids).containsAll(TENANTS).doesNotHaveDuplicates().isSorted();
        assertThat(ids).isEqualTo(all(cp.as(null), "/api/v1/tenants", 1000, "id"));
    }

    @Test
    void aRestrictedTokenPagesThroughItsOwnTenantsOnly() {
        String token = TestTokens.mint("pg-viewer", Role.VIEWER, List.of("pg-b", "pg-e", "pg-g"));
        assertThat(all(cp.as(token), "/api/v1/tenants", 1, "id")).containsExactly("pg-b", "pg-e", "pg-g");
        assertThat(all(cp.as(token), "/api/v1/tenants", 2, "id")).containsExactly("pg-b", "pg-e", "pg-g");
    }

    @Test
    void pagesThroughQosPoliciesAndWorkersExactlyOnce() {
        List<String> policies = all(cp.as(null), "/api/v1/qos-policies", 2, "name");
        assertThat(policies).contains("pg-0", "pg-1", "pg-2", "pg-3", "pg-4").doesNotHaveDuplicates();
        List<String> workers = all(cp.as(null), "/api/v1/workers", 3, "id");
        assertThat(workers).contains("pg-worker-0", "pg-worker-4").doesNotHaveDuplicates().isSorted();
        assertThat(workers.stream().filter(w -> w.startsWith("pg-worker-"))).hasSize(5);
    }

    @Test
    void theLastPageHasNoNext() {
        Response r = cp.get("/api/v1/replications");
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.json().get("items").isArray()).isTrue();
        assertThat(r.json().get("next") == null || r.json().get("next").isNull()).isTrue();
        assertThat(cp.get("/api/v1/endpoints").json().get("items").isArray()).isTrue();
    }

    @Test
    void refusesALimitOutOfRangeAndAForeignCursor() {
        for (String query : List.of("?limit=0", "?limit=1001", "?limit=x")) {
            Response r = cp.get("/api/v1/tenants" + query);
            assertThat(r.status()).as(r.toString()).isEqualTo(400);
            assertThat(r.text("detail")).contains("limit");
        }
        Response r = cp.get("/api/v1/qos-policies?cursor=bm90LWEtdXVpZA");
        assertThat(r.status()).as(r.toString()).isEqualTo(400);
        assertThat(r.text("detail")).contains("cursor");
        assertThat(cp.get("/api/v1/tenants?cursor=%25%25").status()).isEqualTo(400);
    }
}
