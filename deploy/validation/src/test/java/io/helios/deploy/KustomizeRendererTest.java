package io.helios.deploy;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The in-test Kustomize renderer does what kustomize does for the features it supports, and refuses the rest. */
class KustomizeRendererTest {

    private static final Path FIXTURE = Repo.path("deploy/validation/src/test/resources/kustomize-fixture");

    private final List<ObjectNode> overlay = Kustomize.build(FIXTURE.resolve("overlay"));

    private JsonNode get(String kind) {
        return overlay.stream().filter(o -> o.path("kind").asString().equals(kind)).findFirst().orElseThrow();
    }

    @Test
    void namespaceIsSetOnNamespacedObjectsAndRenamesTheNamespace() {
        assertThat(get("Namespace").at("/metadata/name").asString()).isEqualTo("app-dev");
        assertThat(get("Namespace").at("/metadata/namespace").isMissingNode()).isTrue();
        assertThat(get("Deployment").at("/metadata/namespace").asString()).isEqualTo("app-dev");
    }

    @Test
    void labelsReachTemplatesAndCommonLabelsAlsoReachSelectors() {
        JsonNode d = get("Deployment");
        assertThat(d.at("/metadata/labels/team").asString()).isEqualTo("blue");
        assertThat(d.at("/spec/template/metadata/labels/team").asString()).isEqualTo("blue");
        assertThat(d.at("/spec/selector/matchLabels/team").isMissingNode()).isTrue();
        assertThat(d.at("/spec/selector/matchLabels/tier").asString()).isEqualTo("front");
        assertThat(get("Service").at("/spec/selector/tier").asString()).isEqualTo("front");
        assertThat(get("Service").at("/spec/selector/team").isMissingNode()).isTrue();
    }

    @Test
    void imagesAndReplicasAreReplaced() {
        JsonNode d = get("Deployment");
        assertThat(d.at("/spec/template/spec/containers/0/image").asString()).isEqualTo("example/web:2.0");
        assertThat(d.at("/spec/template/spec/containers/1/image").asString()).isEqualTo("example/sidecar:3");
        assertThat(d.at("/spec/replicas").asInt()).isEqualTo(4);
    }

    @Test
    void strategicMergePatchesMergeKeyedListsAndMaps() {
        JsonNode d = get("Deployment");
        assertThat(d.at("/spec/template/spec/containers")).hasSize(2);
        JsonNode env = d.at("/spec/template/spec/containers/0/env");
        assertThat(env).hasSize(2);
        assertThat(env.path(0).path("value").asString()).isEqualTo("2");
        assertThat(env.path(1).path("name").asString()).isEqualTo("B");
        assertThat(get("Service").at("/spec/type").asString()).isEqualTo("LoadBalancer");
        assertThat(get("Service").at("/spec/ports/0/port").asInt()).isEqualTo(80);
    }

    @Test
    void unsupportedKustomizationFieldsAreRefused() {
        assertThatThrownBy(() -> Kustomize.build(FIXTURE.resolve("unsupported")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("namePrefix");
    }

    @Test
    void schemaFileNamesFollowTheKubernetesJsonSchemaLayout() {
        assertThat(Schemas.kubernetesSchemaFile("apps/v1", "Deployment")).endsWith("/deployment-apps-v1.json");
        assertThat(Schemas.kubernetesSchemaFile("v1", "Service")).endsWith("/service-v1.json");
        assertThat(Schemas.kubernetesSchemaFile("networking.k8s.io/v1", "NetworkPolicy"))
                .endsWith("/networkpolicy-networking-v1.json");
        assertThat(Schemas.kubernetesSchemaFile("autoscaling/v2", "HorizontalPodAutoscaler"))
                .endsWith("/horizontalpodautoscaler-autoscaling-v2.json");
    }
}
