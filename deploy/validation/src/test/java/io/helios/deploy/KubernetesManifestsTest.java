package io.helios.deploy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * k8s/: the Kustomize base and every overlay rendered (no kustomize binary, no cluster) and
 * checked against the Kubernetes {@value Schemas#KUBERNETES_VERSION} schemas and the rules below.
 */
class KubernetesManifestsTest {

    private static List<ObjectNode> render(String dir) {
        return Kustomize.build(Repo.path(dir));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"k8s/base", "k8s/overlays/dev", "k8s/overlays/prod"})
    void everyRenderedObjectConformsToTheKubernetesSchema(String dir) {
        List<ObjectNode> objects = render(dir);
        assertThat(objects).isNotEmpty();
        List<String> problems = new ArrayList<>();
        for (ObjectNode o : objects) {
            Schemas.kubernetesProblems(o).forEach(p -> problems.add(Kustomize.id(o) + " " + p));
        }
        assertThat(problems).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"k8s/base", "k8s/overlays/dev", "k8s/overlays/prod"})
    void deploymentsAreProbedBoundedAndHardened(String dir) {
        List<ObjectNode> objects = render(dir);
        assertThat(K8sChecks.workloads(objects)).extracting(K8sChecks::id)
                .containsExactlyInAnyOrder("Deployment/control-plane", "StatefulSet/replicator-worker", "Deployment/failover-service",
                        "Deployment/gateway", "Deployment/migration-service");
        assertThat(K8sChecks.hardenedDeployments(objects)).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"k8s/base", "k8s/overlays/dev", "k8s/overlays/prod"})
    void servicesDisruptionBudgetsAndAutoscalersPointAtExistingWorkloads(String dir) {
        List<ObjectNode> objects = render(dir);
        assertThat(K8sChecks.servicesSelectPods(objects)).isEmpty();
        assertThat(K8sChecks.selectorsMatch(objects)).isEmpty();
        assertThat(K8sChecks.autoscalers(objects)).isEmpty();
        assertThat(K8sChecks.configMapRefs(objects)).isEmpty();
        assertThat(K8sChecks.ofKind(objects, "HorizontalPodAutoscaler")).extracting(
                h -> h.path("spec").path("scaleTargetRef").path("name").asString()).containsExactly("replicator-worker");
        assertThat(K8sChecks.ofKind(objects, "PodDisruptionBudget")).extracting(K8sChecks::name)
                .containsExactlyInAnyOrder("control-plane", "replicator-worker", "failover-service", "gateway", "migration-service");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"k8s/base", "k8s/overlays/dev", "k8s/overlays/prod"})
    void everyObjectLivesInTheOneRenderedNamespace(String dir) {
        List<ObjectNode> objects = render(dir);
        List<ObjectNode> namespaces = K8sChecks.ofKind(objects, "Namespace");
        assertThat(namespaces).hasSize(1);
        String ns = K8sChecks.name(namespaces.get(0));
        for (ObjectNode o : objects) {
            if (!o.path("kind").asString().equals("Namespace")) {
                assertThat(o.path("metadata").path("namespace").asString()).as(Kustomize.id(o)).isEqualTo(ns);
            }
            assertThat(o.path("metadata").path("labels").path("app.kubernetes.io/part-of").asString())
                    .as(Kustomize.id(o)).isEqualTo("helios");
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"k8s/base", "k8s/overlays/dev", "k8s/overlays/prod"})
    void secretsAreReferencedByNameAndDocumented(String dir) {
        List<ObjectNode> objects = render(dir);
        Map<String, Set<String>> refs = K8sChecks.secretKeys(objects);
        assertThat(refs.keySet()).containsExactly(K8sChecks.SECRET);
        assertThat(refs.get(K8sChecks.SECRET)).contains("secrets-key-primary").doesNotContain("worker-token");
        String docs = Repo.read("docs/deploy.md");
        assertThat(docs).contains(K8sChecks.SECRET, K8sChecks.WORKER_TOKENS);
        assertThat(K8sChecks.workerTokensCoverTheAutoscaler(objects)).isEmpty();
        for (String key : refs.get(K8sChecks.SECRET)) {
            assertThat(docs).as("docs/deploy.md documents key %s", key).contains("`" + key + "`");
        }
        for (ObjectNode s : K8sChecks.ofKind(objects, "Secret")) {
            assertThat(dir).as("only the dev overlay carries an example Secret").isEqualTo("k8s/overlays/dev");
            Set<String> keys = new TreeSet<>(s.path("stringData").propertyNames());
            if (K8sChecks.name(s).equals(K8sChecks.SECRET)) {
                assertThat(keys).containsAll(refs.get(K8sChecks.SECRET));
            }
            s.path("stringData").forEach(v -> assertThat(v.asString()).startsWith("change-me"));
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"k8s/base", "k8s/overlays/dev", "k8s/overlays/prod"})
    void containersAreGivenOnlyVariablesTheirConfigurationReads(String dir) {
        List<ObjectNode> objects = render(dir);
        for (String service : ServiceConfig.SERVICES.keySet()) {
            ObjectNode deployment = K8sChecks.workloads(objects).stream()
                    .filter(d -> K8sChecks.name(d).equals(service)).findFirst().orElseThrow();
            JsonNode container = deployment.path("spec").path("template").path("spec").path("containers").path(0);
            Set<String> names = new TreeSet<>();
            container.path("env").forEach(e -> names.add(e.path("name").asString()));
            String activeKey = null;
            for (JsonNode from : container.path("envFrom")) {
                String map = from.path("configMapRef").path("name").asString();
                ObjectNode cm = K8sChecks.ofKind(objects, "ConfigMap").stream()
                        .filter(c -> K8sChecks.name(c).equals(map)).findFirst().orElseThrow();
                names.addAll(cm.path("data").propertyNames());
                activeKey = cm.path("data").path("HELIOS_SECRETS_ACTIVE_KEY").asString(activeKey);
            }
            assertThat(ServiceConfig.unreadVariables(service, names)).isEmpty();
            assertThat(ServiceConfig.keyring(service, activeKey, names)).isEmpty();
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"k8s/base", "k8s/overlays/dev", "k8s/overlays/prod"})
    void gatewayAndControlPlaneVerifyTheSameTokensAndWorkersSendTheTokenTheControlPlaneAccepts(String dir) {
        assertThat(K8sChecks.tokenSettings(render(dir), dir.startsWith("k8s/overlays/"))).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"k8s/base", "k8s/overlays/dev", "k8s/overlays/prod"})
    void podsAreAnnotatedForPrometheusOnTheirOwnPort(String dir) {
        for (ObjectNode d : K8sChecks.workloads(render(dir))) {
            JsonNode template = d.path("spec").path("template");
            JsonNode annotations = template.path("metadata").path("annotations");
            assertThat(annotations.path("prometheus.io/scrape").asString()).as(K8sChecks.name(d)).isEqualTo("true");
            assertThat(annotations.path("prometheus.io/path").asString()).isEqualTo("/actuator/prometheus");
            String port = template.path("spec").path("containers").path(0).path("ports").path(0).path("containerPort").asString();
            assertThat(annotations.path("prometheus.io/port").asString()).as(K8sChecks.name(d)).isEqualTo(port);
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"k8s/base", "k8s/overlays/dev", "k8s/overlays/prod"})
    void networkPoliciesLetOnlyTheGatewayInFromOutside(String dir) {
        List<ObjectNode> objects = render(dir);
        assertThat(NetworkPolicies.problems(objects)).isEmpty();
    }

    @Test
    void overlaysDifferWhereTheyShould() {
        List<ObjectNode> dev = render("k8s/overlays/dev");
        List<ObjectNode> prod = render("k8s/overlays/prod");
        assertThat(K8sChecks.name(K8sChecks.ofKind(dev, "Namespace").get(0))).isEqualTo("helios-dev");
        assertThat(K8sChecks.name(K8sChecks.ofKind(prod, "Namespace").get(0))).isEqualTo("helios");
        assertThat(K8sChecks.ofKind(dev, "Secret")).extracting(K8sChecks::name)
                .containsExactlyInAnyOrder(K8sChecks.SECRET, K8sChecks.WORKER_TOKENS);
        assertThat(K8sChecks.ofKind(prod, "Secret")).as("prod references the operator's Secret only").isEmpty();
        for (ObjectNode d : K8sChecks.workloads(prod)) {
            String image = d.path("spec").path("template").path("spec").path("containers").path(0).path("image").asString();
            assertThat(image).as("prod pins image tags").doesNotEndWith(":latest").contains(":");
        }
    }
}
