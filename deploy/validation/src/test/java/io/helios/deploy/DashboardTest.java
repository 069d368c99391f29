package io.helios.deploy;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The provisioned Grafana dashboard queries the metrics the services really expose, per tenant. */
class DashboardTest {

    static final String DASHBOARD = "deploy/grafana/dashboards/helios-replication.json";
    static final List<String> SERVICE_SOURCES = List.of("replicator-worker/src/main/java", "control-plane/src/main/java",
            "gateway/src/main/java");

    static Set<String> exposed;
    private final JsonNode dashboard = Yaml.json(Repo.read(DASHBOARD));

    @BeforeAll
    static void exposedNames() {
        List<MeterNames.Declared> declared = MeterNames.declaredIn(SERVICE_SOURCES);
        exposed = MeterNames.prometheusNames(declared);
    }

    @Test
    void theServicesDeclareTheMetersTheDashboardIsAbout() {
        assertThat(MeterNames.declaredIn(SERVICE_SOURCES)).extracting(MeterNames.Declared::name)
                .contains("helios.replication.lag", "helios.replication.rows.applied", "helios.replication.errors");
        assertThat(exposed).contains("helios_replication_lag_seconds_bucket", "helios_replication_rows_applied_total",
                "helios_replication_errors_total");
    }

    @Test
    void everyQueriedMetricIsExposedByAService() {
        assertThat(Dashboards.expressions(dashboard)).isNotEmpty();
        assertThat(Dashboards.unknownMetrics(dashboard, exposed)).isEmpty();
    }

    @Test
    void showsLagThroughputAndErrorsPerTenant() {
        List<String> perTenant = new ArrayList<>();
        for (JsonNode panel : dashboard.path("panels")) {
            for (JsonNode t : panel.path("targets")) {
                String expr = t.path("expr").asString();
                if (expr.contains("tenant=~\"$tenant\"") && expr.contains("by (tenant")) {
                    perTenant.add(expr);
                }
            }
        }
        assertThat(perTenant).anyMatch(e -> e.contains("helios_replication_lag_seconds"));
        assertThat(perTenant).anyMatch(e -> e.contains("helios_replication_rows_applied_total"));
        assertThat(perTenant).anyMatch(e -> e.contains("helios_replication_errors_total"));
    }

    @Test
    void tenantVariableListsTheTenantsTheWorkersReport() {
        JsonNode tenant = dashboard.path("templating").path("list").path(0);
        assertThat(tenant.path("name").asString()).isEqualTo("tenant");
        assertThat(tenant.path("includeAll").asBoolean()).isTrue();
        assertThat(tenant.path("multi").asBoolean()).isTrue();
        assertThat(tenant.path("query").path("query").asString()).contains("tenant");
    }

    @Test
    void everyPanelUsesTheProvisionedDatasource() {
        JsonNode datasources = Yaml.load(Repo.read("deploy/grafana/provisioning/datasources/prometheus.yml"));
        String uid = datasources.path("datasources").path(0).path("uid").asString();
        for (JsonNode panel : dashboard.path("panels")) {
            if (!panel.path("type").asString().equals("row")) {
                assertThat(panel.path("datasource").path("uid").asString()).as(panel.path("title").asString()).isEqualTo(uid);
            }
        }
    }
}
