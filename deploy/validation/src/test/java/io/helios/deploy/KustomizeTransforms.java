package io.helios.deploy;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The built-in Kustomize transformers {@link Kustomize} supports, applied to rendered objects in place. */
final class KustomizeTransforms {

    private static final Set<String> WORKLOADS = Set.of("Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job");

    private KustomizeTransforms() {
    }

    /** Sets metadata.namespace of namespaced objects; renames Namespace objects, as kustomize does. */
    static void namespace(List<ObjectNode> objects, String namespace, Set<String> clusterScoped) {
        for (ObjectNode o : objects) {
            String kind = o.path("kind").asString();
            if (kind.equals("Namespace")) {
                metadata(o).put("name", namespace);
            } else if (!clusterScoped.contains(kind)) {
                metadata(o).put("namespace", namespace);
            }
        }
    }

    /**
     * Adds labels to every object's metadata; with templates, to workload pod templates; with
     * selectors, to workload and Service selectors and existing NetworkPolicy/PDB pod selectors
     * (what {@code commonLabels} does).
     */
    static void labels(List<ObjectNode> objects, JsonNode pairs, boolean selectors, boolean templates) {
        for (ObjectNode o : objects) {
            String kind = o.path("kind").asString();
            putAll(child(metadata(o), "labels"), pairs);
            ObjectNode spec = o.has("spec") ? (ObjectNode) o.get("spec") : null;
            if (spec == null) {
                continue;
            }
            if (templates && WORKLOADS.contains(kind)) {
                putAll(child(child(child(spec, "template"), "metadata"), "labels"), pairs);
            }
            if (!selectors) {
                continue;
            }
            if (WORKLOADS.contains(kind)) {
                putAll(child(child(spec, "selector"), "matchLabels"), pairs);
                putAll(child(child(child(spec, "template"), "metadata"), "labels"), pairs);
            } else if (kind.equals("Service")) {
                putAll(child(spec, "selector"), pairs);
            } else if (kind.equals("PodDisruptionBudget") && spec.path("selector").has("matchLabels")) {
                putAll((ObjectNode) spec.get("selector").get("matchLabels"), pairs);
            } else if (kind.equals("NetworkPolicy")) {
                networkPolicySelectors(spec, pairs);
            }
        }
    }

    /** Replaces the image of every container whose image name matches {@code name}. */
    static void image(List<ObjectNode> objects, JsonNode rule) {
        String name = rule.path("name").asString();
        for (ObjectNode o : objects) {
            JsonNode pod = o.path("spec").path("template").path("spec");
            for (String list : List.of("containers", "initContainers")) {
                for (JsonNode c : pod.path(list)) {
                    String image = c.path("image").asString("");
                    String[] ref = splitImage(image);
                    if (ref[0].equals(name)) {
                        String newName = rule.path("newName").asString(ref[0]);
                        String suffix = rule.has("digest") ? "@" + rule.get("digest").asString()
                                : rule.has("newTag") ? ":" + rule.get("newTag").asString() : ref[1];
                        ((ObjectNode) c).put("image", newName + suffix);
                    }
                }
            }
        }
    }

    static void replicas(Path dir, List<ObjectNode> objects, JsonNode rule) {
        String name = rule.path("name").asString();
        ObjectNode target = objects.stream()
                .filter(o -> WORKLOADS.contains(o.path("kind").asString())
                        && o.path("metadata").path("name").asString().equals(name))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException(dir + ": replicas target " + name + " not found"));
        ((ObjectNode) target.get("spec")).put("replicas", rule.path("count").asInt());
    }

    /** [name, ":tag" or "@digest" or ""]. A registry port's colon is not a tag separator. */
    private static String[] splitImage(String image) {
        int at = image.indexOf('@');
        if (at >= 0) {
            return new String[] {image.substring(0, at), image.substring(at)};
        }
        int colon = image.lastIndexOf(':');
        if (colon > image.lastIndexOf('/')) {
            return new String[] {image.substring(0, colon), image.substring(colon)};
        }
        return new String[] {image, ""};
    }

    private static void networkPolicySelectors(ObjectNode spec, JsonNode pairs) {
        if (spec.path("podSelector").has("matchLabels")) {
            putAll((ObjectNode) spec.get("podSelector").get("matchLabels"), pairs);
        }
        for (String direction : List.of("ingress:from", "egress:to")) {
            String[] d = direction.split(":");
            for (JsonNode rule : spec.path(d[0])) {
                for (JsonNode peer : rule.path(d[1])) {
                    if (peer.path("podSelector").has("matchLabels")) {
                        putAll((ObjectNode) peer.get("podSelector").get("matchLabels"), pairs);
                    }
                }
            }
        }
    }

    private static ObjectNode metadata(ObjectNode o) {
        return child(o, "metadata");
    }

    private static ObjectNode child(ObjectNode parent, String field) {
        JsonNode c = parent.get(field);
        if (c == null || !c.isObject()) {
            return parent.putObject(field);
        }
        return (ObjectNode) c;
    }

    private static void putAll(ObjectNode target, JsonNode pairs) {
        for (Map.Entry<String, JsonNode> e : pairs.properties()) {
            target.put(e.getKey(), e.getValue().asString());
        }
    }
}
