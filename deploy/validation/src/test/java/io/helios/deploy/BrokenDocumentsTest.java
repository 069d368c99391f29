package io.helios.deploy;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The validation fails on deliberately broken documents: it is not a check that passes on anything. */
class BrokenDocumentsTest {

    private static final String BROKEN_COMPOSE = """
            services:
              db:
                image: postgres:17
                volumes: pgdata
              worker:
                image: helios/replicator-worker
                container_name: worker
                ports: ["8082:8082"]
                buidl: .
                environment:
                  PASSWORD: $DB_PASSWORD
                  HELIOS_DB_PASSWORD: ${HELIOS_DB_PASSWORD:-secret}
                depends_on:
                  db:
                    condition: service_started
                  cache:
                    condition: service_healthy
            """;

    private final JsonNode brokenCompose = Yaml.load(BROKEN_COMPOSE);

    @Test
    void composeSchemaRejectsUnknownKeysAndValues() {
        assertThat(String.join("\n", Schemas.composeProblems(brokenCompose)))
                .contains("/services/worker: property 'buidl' is not defined")
                .contains("/services/db/volumes");
    }

    @Test
    void composeSemanticChecksRejectBrokenDependenciesPortsAndSecrets() {
        assertThat(ComposeChecks.dependencies(brokenCompose)).containsExactlyInAnyOrder(
                "worker does not wait for db to be healthy",
                "worker depends on cache, which is not a service");
        assertThat(ComposeChecks.healthchecks(brokenCompose)).contains("db has no healthcheck", "worker has no healthcheck");
        assertThat(ComposeChecks.publishedPorts(brokenCompose)).hasSize(1);
        assertThat(ComposeChecks.scalable(brokenCompose, "worker")).hasSize(2);
        assertThat(ComposeChecks.interpolation(BROKEN_COMPOSE, Map.of("HELIOS_DB_PASSWORD", "hunter2")))
                .contains("$DB_PASSWORD should be written ${DB_PASSWORD}",
                        "${HELIOS_DB_PASSWORD} is a secret: require it with ${HELIOS_DB_PASSWORD:?message}",
                        "deploy/env.example gives HELIOS_DB_PASSWORD a value: secrets there must be change-me");
        assertThat(ComposeChecks.interpolation("x: ${UNDOCUMENTED}", Map.of()))
                .containsExactly("${UNDOCUMENTED} is not documented in deploy/env.example");
    }

    @Test
    void aWorkerTokenWithADefaultIsRejectedAsAnUnrequiredSecret() {
        assertThat(ComposeChecks.interpolation("t: ${HELIOS_WORKER_TOKEN:-}", Map.of("HELIOS_WORKER_TOKEN", "s3cr3t")))
                .containsExactlyInAnyOrder(
                        "${HELIOS_WORKER_TOKEN} is a secret: require it with ${HELIOS_WORKER_TOKEN:?message}",
                        "deploy/env.example gives HELIOS_WORKER_TOKEN a value: secrets there must be change-me");
        assertThat(ComposeChecks.isSecret("HELIOS_JWT_PUBLIC_KEY")).isFalse();
    }

    @Test
    void interpolationRequiresAValueOnlyWhenEveryNestedFallbackIsEmpty() {
        JsonNode doc = Yaml.load("""
                x-guard: ${A:-${B-${C:?set A, B or C}}}
                services:
                  s:
                    environment:
                      T: ${T:-}
                      LITERAL: $${A}
                """);
        assertThat(ComposeInterpolation.missing(doc, Map.of()))
                .containsExactly("required variable C is missing a value: set A, B or C");
        assertThat(ComposeInterpolation.missing(doc, Map.of("A", ""))).hasSize(1);
        assertThat(ComposeInterpolation.missing(doc, Map.of("B", ""))).as("B set, though empty").isEmpty();
        JsonNode resolved = ComposeInterpolation.interpolate(doc, Map.of("A", "a"));
        assertThat(resolved.path("x-guard").asString()).isEqualTo("a");
        assertThat(resolved.at("/services/s/environment/LITERAL").asString()).isEqualTo("${A}");
        assertThat(ComposeChecks.variables("x: ${A:-${B:-${C:?m}}}")).containsExactly("A", "B", "C");
    }

    @Test
    void kubernetesSchemaRejectsMisspeltFieldsAndWrongTypes() {
        ObjectNode deployment = deployment("control-plane");
        ((ObjectNode) deployment.get("spec")).put("replicas", "two");
        ObjectNode container = (ObjectNode) deployment.at("/spec/template/spec/containers/0");
        container.set("livenesProbe", container.remove("livenessProbe"));
        String problems = String.join("\n", Schemas.kubernetesProblems(deployment));
        assertThat(problems).contains("replicas").contains("livenesProbe");
    }

    @Test
    void kubernetesObjectsOfKindsWithoutASchemaAreRejected() {
        JsonNode ingress = Yaml.load("apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: x}\n");
        assertThat(Schemas.kubernetesProblems(ingress)).singleElement().asString().contains("no schema");
    }

    @Test
    void semanticChecksRejectAnUnprobedUnboundedRootDeployment() {
        ObjectNode deployment = deployment("control-plane");
        ObjectNode pod = (ObjectNode) deployment.at("/spec/template/spec");
        pod.remove("securityContext");
        ObjectNode container = (ObjectNode) pod.get("containers").get(0);
        container.remove("readinessProbe");
        container.remove("resources");
        container.remove("securityContext");
        List<String> problems = K8sChecks.hardenedDeployments(List.of(deployment));
        assertThat(problems).contains(
                "Deployment/control-plane: pod securityContext.runAsNonRoot",
                "Deployment/control-plane container control-plane: readinessProbe on /actuator/health/readiness",
                "Deployment/control-plane container control-plane: resources.limits.memory",
                "Deployment/control-plane container control-plane: readOnlyRootFilesystem");
    }

    @Test
    void networkPolicyCheckRejectsAControlPlaneOpenToEveryone() {
        List<ObjectNode> objects = Kustomize.build(Repo.path("k8s/base")).stream()
                .filter(o -> !K8sChecks.name(o).equals("default-deny-ingress")).toList();
        for (ObjectNode p : K8sChecks.ofKind(objects, "NetworkPolicy")) {
            if (K8sChecks.name(p).equals("control-plane-from-gateway-and-workers")) {
                ((ObjectNode) p.at("/spec/ingress/0")).remove("from");
            }
        }
        assertThat(NetworkPolicies.problems(objects)).anyMatch(s -> s.startsWith("no default-deny"))
                .anyMatch(s -> s.startsWith("control-plane admits [anyone]"));
    }

    @Test
    void tokenCheckRejectsAnUnverifiableControlPlaneAGatewayWithItsOwnIssuerAndAWorkerWithoutItsOwnToken() {
        List<ObjectNode> objects = Kustomize.build(Repo.path("k8s/base"));
        assertThat(K8sChecks.tokenSettings(objects, true)).containsExactlyInAnyOrder(
                "control-plane is given none of " + K8sChecks.JWT + " with a value, so it refuses to start",
                "gateway is given none of " + K8sChecks.JWT + " with a value, so it refuses to start");
        ((ObjectNode) deployment(objects, "gateway").at("/spec/template/spec/containers/0")).putArray("env")
                .addObject().put("name", "HELIOS_JWT_ISSUER_URI").put("value", "https://other.example.com/realms/x");
        ArrayNode workerEnv = (ArrayNode) deployment(objects, "replicator-worker").at("/spec/template/spec/containers/0/env");
        workerEnv.removeIf(e -> e.path("name").asString().equals("HELIOS_WORKER_TOKEN_FILE"));
        workerEnv.addObject().put("name", "HELIOS_WORKER_TOKEN").putObject("valueFrom").putObject("secretKeyRef")
                .put("name", "helios-secrets").put("key", "worker-token");
        ((ArrayNode) deployment(objects, "replicator-worker").at("/spec/template/spec/volumes"))
                .removeIf(v -> v.path("name").asString().equals("worker-tokens"));
        assertThat(K8sChecks.tokenSettings(objects, false)).containsExactlyInAnyOrder(
                "gateway and control-plane verify tokens differently: HELIOS_JWT_ISSUER_URI is"
                        + " 'https://other.example.com/realms/x' at the gateway, '' at the control plane",
                "replicator-worker reads its token from '', not from its own key of helios-worker-tokens"
                        + " (/var/run/helios/worker-tokens/$(HELIOS_WORKER_ID))",
                "replicator-worker is also given HELIOS_WORKER_TOKEN: a worker has exactly one credential",
                "replicator-worker does not mount Secret helios-worker-tokens at /var/run/helios/worker-tokens");
    }

    @Test
    void dashboardQueryingAnUnregisteredMetricIsRejected() {
        JsonNode dashboard = Yaml.json("""
                {"panels": [{"type": "timeseries", "targets": [
                  {"expr": "histogram_quantile(0.99, sum by (tenant, le) (rate(helios_replication_lag_ms_bucket{tenant=~\\"$tenant\\"}[5m])))"}
                ]}]}
                """);
        assertThat(Dashboards.unknownMetrics(dashboard, Set.of("helios_replication_lag_seconds_bucket")))
                .singleElement().asString().startsWith("helios_replication_lag_ms_bucket");
    }

    @Test
    void variablesAServiceDoesNotReadAndAKeyringWithoutItsActiveKeyAreRejected() {
        assertThat(ServiceConfig.unreadVariables("replicator-worker",
                List.of("HELIOS_CONTROL_PLANE_URL", "HELIOS_CONTROLPLANE_URL", "HELIOS_DB_URL")))
                .containsExactly(
                        "replicator-worker is given HELIOS_CONTROLPLANE_URL, which replicator-worker/src/main/resources/replicator-worker.yml does not read",
                        "replicator-worker is given HELIOS_DB_URL, which replicator-worker/src/main/resources/replicator-worker.yml does not read");
        assertThat(ServiceConfig.keyring("control-plane", "primary", List.of("HELIOS_SECRETS_KEYS_OLD"))).hasSize(1);
        assertThat(ServiceConfig.unreadVariables("gateway", List.of("HELIOS_JWT_ISSUER_URI", "HELIOS_WORKER_TOKEN")))
                .containsExactly("gateway is given HELIOS_WORKER_TOKEN, which gateway/src/main/resources/gateway.yml does not read");
    }

    @Test
    void dockerfileRunningAsRootWithoutHealthcheckIsRejected() {
        String dockerfile = "FROM eclipse-temurin:17-jdk\nRUN ./mvnw -pl gateway package\nENTRYPOINT [\"java\"]\n";
        assertThat(Dockerfiles.problems("x.Dockerfile", dockerfile, "gateway")).containsExactlyInAnyOrder(
                "x.Dockerfile is not a multi-stage build",
                "x.Dockerfile runs as root; use a numeric non-root USER (runAsNonRoot needs a number)",
                "x.Dockerfile has no HEALTHCHECK",
                "x.Dockerfile does not take gateway/target/*-exec.jar, the executable jar gateway/pom.xml repackages");
    }

    private static ObjectNode deployment(String name) {
        return deployment(Kustomize.build(Repo.path("k8s/base")), name);
    }

    private static ObjectNode deployment(List<ObjectNode> objects, String name) {
        return objects.stream()
                .filter(o -> K8sChecks.workloads(List.of(o)).size() == 1 && K8sChecks.name(o).equals(name))
                .findFirst().orElseThrow();
    }
}
