package io.helios.deploy;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A small Kustomize renderer for the features k8s/ uses, so that the rendered output can be
 * validated without the kustomize binary: {@code resources} (files and kustomization
 * directories), {@code patches} (strategic merge, by path or inline, target taken from the
 * patch's kind and name), {@code namespace}, {@code labels} / {@code commonLabels},
 * {@code images} and {@code replicas}. Any other field of a kustomization is refused rather than
 * ignored, so an overlay cannot silently rely on something this renderer does not do.
 * Stateless; thread-safe.
 */
final class Kustomize {

    private static final Set<String> SUPPORTED = Set.of("apiVersion", "kind", "resources", "patches", "namespace",
            "labels", "commonLabels", "images", "replicas");
    private static final Set<String> CLUSTER_SCOPED = Set.of("Namespace", "ClusterRole", "ClusterRoleBinding",
            "CustomResourceDefinition", "PersistentVolume", "StorageClass", "PriorityClass");

    private Kustomize() {
    }

    /** The objects {@code kubectl kustomize dir} would print, in resource order. */
    static List<ObjectNode> build(Path dir) {
        JsonNode k = Yaml.load(Repo.read(kustomizationFile(dir)));
        for (String field : k.propertyNames()) {
            if (!SUPPORTED.contains(field)) {
                throw new IllegalArgumentException(dir + ": kustomization field '" + field + "' is not supported");
            }
        }
        List<ObjectNode> objects = new ArrayList<>();
        for (JsonNode r : k.path("resources")) {
            Path p = dir.resolve(r.asString()).normalize();
            if (Files.isDirectory(p)) {
                objects.addAll(build(p));
            } else if (Files.isRegularFile(p)) {
                Yaml.loadAll(Repo.read(p)).forEach(d -> objects.add((ObjectNode) d));
            } else {
                throw new IllegalArgumentException(dir + ": resource " + r.asString() + " does not exist");
            }
        }
        requireUniqueIds(dir, objects);
        for (JsonNode patch : k.path("patches")) {
            applyPatch(dir, objects, patch);
        }
        if (k.has("namespace")) {
            KustomizeTransforms.namespace(objects, k.get("namespace").asString(), CLUSTER_SCOPED);
        }
        if (k.has("commonLabels")) {
            KustomizeTransforms.labels(objects, k.get("commonLabels"), true, true);
        }
        for (JsonNode l : k.path("labels")) {
            KustomizeTransforms.labels(objects, l.path("pairs"), l.path("includeSelectors").asBoolean(false),
                    l.path("includeTemplates").asBoolean(false));
        }
        for (JsonNode image : k.path("images")) {
            KustomizeTransforms.image(objects, image);
        }
        for (JsonNode r : k.path("replicas")) {
            KustomizeTransforms.replicas(dir, objects, r);
        }
        return objects;
    }

    static String id(JsonNode o) {
        return o.path("kind").asString() + "/" + o.path("metadata").path("name").asString();
    }

    private static Path kustomizationFile(Path dir) {
        for (String name : List.of("kustomization.yaml", "kustomization.yml", "Kustomization")) {
            if (Files.isRegularFile(dir.resolve(name))) {
                return dir.resolve(name);
            }
        }
        throw new IllegalArgumentException("no kustomization in " + dir);
    }

    private static void requireUniqueIds(Path dir, List<ObjectNode> objects) {
        Set<String> seen = new HashSet<>();
        for (ObjectNode o : objects) {
            if (!seen.add(id(o))) {
                throw new IllegalArgumentException(dir + ": " + id(o) + " is defined twice");
            }
        }
    }

    private static void applyPatch(Path dir, List<ObjectNode> objects, JsonNode entry) {
        for (String field : entry.propertyNames()) {
            if (!Set.of("path", "patch", "target").contains(field)) {
                throw new IllegalArgumentException(dir + ": patch field '" + field + "' is not supported");
            }
        }
        JsonNode patch = entry.has("path") ? Yaml.load(Repo.read(dir.resolve(entry.get("path").asString())))
                : Yaml.load(entry.path("patch").asString());
        Map<String, String> target = Map.of(
                "kind", entry.path("target").path("kind").asString(patch.path("kind").asString()),
                "name", entry.path("target").path("name").asString(patch.path("metadata").path("name").asString()));
        ObjectNode match = objects.stream()
                .filter(o -> o.path("kind").asString().equals(target.get("kind"))
                        && o.path("metadata").path("name").asString().equals(target.get("name")))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException(dir + ": patch target " + target.get("kind") + "/"
                        + target.get("name") + " not found"));
        StrategicMerge.apply(match, patch);
    }
}
