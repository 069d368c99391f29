package io.helios.deploy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/** docker-compose.yml, its env.example, images and Prometheus configuration, checked without a Docker engine. */
class ComposeFileTest {

    static final String COMPOSE = "docker-compose.yml";
    static final Set<String> HELIOS_SERVICES = Set.of("control-plane", "replicator-worker", "failover-service", "gateway", "migration-service");
    static final List<String> JWT = List.of("HELIOS_JWT_ISSUER_URI", "HELIOS_JWT_JWK_SET_URI", "HELIOS_JWT_PUBLIC_KEY");

    private final String text = Repo.read(COMPOSE);
    private final JsonNode compose = Yaml.load(text);

    @Test
    void conformsToTheComposeSpecification() {
        assertThat(Schemas.composeProblems(compose)).isEmpty();
    }

    @Test
    void everyDependencyIsADefinedServiceAwaitedUntilHealthy() {
        assertThat(ComposeChecks.dependencies(compose)).isEmpty();
    }

    @Test
    void everyServiceHasAHealthcheck() {
        assertThat(ComposeChecks.healthchecks(compose)).isEmpty();
    }

    @Test
    void onlyGatewayGrafanaAndPrometheusPublishHostPorts() {
        assertThat(ComposeChecks.publishedPorts(compose)).isEmpty();
        Set<String> publishing = new TreeSet<>();
        ComposeChecks.services(compose).forEach((name, s) -> {
            if (s.has("ports")) {
                publishing.add(name);
            }
        });
        assertThat(publishing).containsExactlyInAnyOrder("gateway", "grafana", "prometheus");
    }

    @Test
    void workersCanBeScaled() {
        assertThat(ComposeChecks.scalable(compose, "replicator-worker")).isEmpty();
    }

    @Test
    void everyVariableIsDocumentedInEnvExampleAndSecretsAreRequired() {
        Map<String, String> example = ComposeChecks.envFile(Repo.read("deploy/env.example"));
        assertThat(ComposeChecks.variables(text)).isNotEmpty();
        assertThat(ComposeChecks.interpolation(text, example)).isEmpty();
    }

    @Test
    void referencedDockerfilesAndMountedFilesExist() {
        assertThat(ComposeChecks.referencedFiles(compose)).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"control-plane", "replicator-worker", "failover-service", "gateway", "migration-service"})
    void serviceImagesAreMultiStageWrapperBuildsRunningAsNonRoot(String service) {
        JsonNode build = compose.path("services").path(service).path("build");
        String dockerfile = build.path("dockerfile").asString();
        assertThat(dockerfile).startsWith("deploy/docker/");
        assertThat(build.path("context").asString()).isEqualTo(".");
        assertThat(Dockerfiles.problems(dockerfile, Repo.read(dockerfile), service)).isEmpty();
    }

    @Test
    void regionClustersRunPostgres17WithLogicalDecoding() {
        for (String region : List.of("pg-region-a", "pg-region-b")) {
            JsonNode s = compose.path("services").path(region);
            assertThat(s.path("image").asString()).as(region).isEqualTo("postgres:17");
            assertThat(s.path("command").asString()).as(region)
                    .contains("wal_level=logical", "max_replication_slots=", "max_wal_senders=");
            assertThat(s.path("volumes")).as(region).isNotEmpty();
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"control-plane", "replicator-worker", "failover-service", "gateway", "migration-service"})
    void servicesAreGivenOnlyVariablesTheirConfigurationReads(String service) {
        JsonNode env = compose.path("services").path(service).path("environment");
        assertThat(env.isObject()).as("environment of %s as a map", service).isTrue();
        assertThat(ServiceConfig.unreadVariables(service, env.propertyNames())).isEmpty();
        assertThat(ServiceConfig.keyring(service, env.path("HELIOS_SECRETS_ACTIVE_KEY").asString(null),
                env.propertyNames())).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"control-plane", "replicator-worker", "failover-service", "gateway", "migration-service"})
    void healthProbeGroupsAreEnabled(String service) {
        assertThat(ServiceConfig.probesEnabled(service)).isTrue();
    }

    @Test
    void composeRefusesToStartWithoutEachSecretIncludingTheWorkerToken() {
        Map<String, String> env = new HashMap<>(example());
        env.put("HELIOS_JWT_ISSUER_URI", "https://keycloak.example.com/realms/helios");
        assertThat(ComposeInterpolation.missing(compose, env)).isEmpty();
        List<String> secrets = env.keySet().stream().filter(ComposeChecks::isSecret).sorted().toList();
        assertThat(secrets).contains("HELIOS_WORKER_TOKEN", "HELIOS_DB_PASSWORD", "HELIOS_DB_OWNER_PASSWORD",
                "HELIOS_REDIS_PASSWORD", "HELIOS_SECRETS_KEY");
        for (String secret : secrets) {
            Map<String, String> unset = new HashMap<>(env);
            unset.remove(secret);
            assertThat(ComposeInterpolation.missing(compose, unset)).as("without %s", secret)
                    .isNotEmpty().allMatch(p -> p.startsWith("required variable " + secret + " "));
            assertThat(ComposeInterpolation.missing(compose, Map.of(secret, ""))).as("%s empty", secret)
                    .anyMatch(p -> p.startsWith("required variable " + secret + " "));
        }
    }

    @Test
    void composeRefusesToStartUntilOneJwtVerificationSettingIsChosen() {
        List<String> asCopied = ComposeInterpolation.missing(compose, example());
        assertThat(asCopied).singleElement().asString()
                .contains("HELIOS_JWT_ISSUER_URI", "HELIOS_JWT_JWK_SET_URI", "HELIOS_JWT_PUBLIC_KEY", "deploy/env.example");
        for (String jwt : JWT) {
            Map<String, String> env = new HashMap<>(example());
            env.put(jwt, "set");
            assertThat(ComposeInterpolation.missing(compose, env)).as("with only %s", jwt).isEmpty();
        }
    }

    @Test
    void gatewayAndControlPlaneVerifyTheSameTokensAndWorkersSendTheTokenTheControlPlaneAccepts() {
        Map<String, String> env = new HashMap<>();
        example().keySet().forEach(k -> env.put(k, "value-of-" + k));
        JsonNode services = ComposeInterpolation.interpolate(compose, env).path("services");
        JsonNode controlPlane = services.path("control-plane").path("environment");
        for (String jwt : JWT) {
            assertThat(controlPlane.path(jwt).asString()).as(jwt).isEqualTo("value-of-" + jwt);
            assertThat(services.path("gateway").path("environment").path(jwt).asString()).as(jwt)
                    .isEqualTo("value-of-" + jwt);
        }
        // no shared worker token: only the worker holds its own
        assertThat(controlPlane.has("HELIOS_WORKER_TOKEN")).isFalse();
        assertThat(services.path("gateway").path("environment").has("HELIOS_WORKER_TOKEN")).isFalse();
        assertThat(services.path("replicator-worker").path("environment").path("HELIOS_WORKER_TOKEN").asString())
                .isEqualTo("value-of-HELIOS_WORKER_TOKEN");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"replicator-worker", "gateway", "migration-service"})
    void servicesReachTheControlPlaneOnItsPort(String service) {
        String dockerfile = compose.path("services").path("control-plane").path("build").path("dockerfile").asString();
        assertThat(compose.path("services").path(service).path("environment").path("HELIOS_CONTROL_PLANE_URL").asString())
                .isEqualTo("http://control-plane:" + Dockerfiles.exposedPort(Repo.read(dockerfile)));
    }

    private static Map<String, String> example() {
        return ComposeChecks.envFile(Repo.read("deploy/env.example"));
    }

    @Test
    void prometheusScrapesEveryHeliosServiceOnItsActuatorEndpoint() {
        JsonNode prometheus = Yaml.load(Repo.read("deploy/prometheus/prometheus.yml"));
        Set<String> services = ComposeChecks.services(compose).keySet();
        List<String> problems = new ArrayList<>();
        Set<String> scraped = new TreeSet<>();
        for (JsonNode job : prometheus.path("scrape_configs")) {
            String jobName = job.path("job_name").asString();
            List<String> hostPorts = new ArrayList<>();
            job.path("static_configs").forEach(c -> c.path("targets").forEach(t -> hostPorts.add(t.asString())));
            job.path("dns_sd_configs").forEach(c -> c.path("names").forEach(
                    n -> hostPorts.add(n.asString() + ":" + c.path("port").asInt())));
            for (String hostPort : hostPorts) {
                String host = hostPort.substring(0, hostPort.indexOf(':'));
                int port = Integer.parseInt(hostPort.substring(hostPort.indexOf(':') + 1));
                if (host.equals("localhost") && jobName.equals("prometheus")) {
                    continue;
                }
                if (!services.contains(host)) {
                    problems.add(jobName + " scrapes " + host + ", which is not a compose service");
                } else if (HELIOS_SERVICES.contains(host)) {
                    scraped.add(host);
                    String dockerfile = compose.path("services").path(host).path("build").path("dockerfile").asString();
                    if (port != Dockerfiles.exposedPort(Repo.read(dockerfile))) {
                        problems.add(jobName + " scrapes " + host + " on " + port + ", not its port");
                    }
                    if (!job.path("metrics_path").asString("").equals("/actuator/prometheus")) {
                        problems.add(jobName + " does not scrape /actuator/prometheus");
                    }
                }
            }
        }
        assertThat(problems).isEmpty();
        assertThat(scraped).containsExactlyInAnyOrderElementsOf(HELIOS_SERVICES);
        JsonNode workerJob = null;
        for (JsonNode job : prometheus.path("scrape_configs")) {
            if (job.path("job_name").asString().equals("replicator-worker")) {
                workerJob = job;
            }
        }
        assertThat(workerJob).as("a replicator-worker job").isNotNull();
        assertThat(workerJob.has("dns_sd_configs")).as("scaled workers are discovered through DNS").isTrue();
    }

    @Test
    void grafanaIsProvisionedWithThePrometheusDatasourceAndTheDashboard() {
        JsonNode datasources = Yaml.load(Repo.read("deploy/grafana/provisioning/datasources/prometheus.yml"));
        assertThat(datasources.path("datasources").path(0).path("url").asString()).isEqualTo("http://prometheus:9090");
        JsonNode providers = Yaml.load(Repo.read("deploy/grafana/provisioning/dashboards/helios.yml"));
        String path = providers.path("providers").path(0).path("options").path("path").asString();
        assertThat(compose.path("services").path("grafana").path("volumes").toString())
                .contains("./deploy/grafana/dashboards:" + path);
    }
}
