package io.helios.deploy;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.util.Map;

/**
 * The part of Kubernetes' strategic merge patch the overlays use: maps merge recursively, a null
 * value removes a field, and lists of the well-known keyed kinds (containers, env, volumes,
 * ports, volume mounts) merge item by item on their merge key; any other list is replaced.
 */
final class StrategicMerge {

    /** List field name to the key its items merge on (from the Kubernetes API's patchMergeKey). */
    private static final Map<String, String> MERGE_KEYS = Map.of(
            "containers", "name",
            "initContainers", "name",
            "env", "name",
            "volumes", "name",
            "volumeMounts", "mountPath",
            "ports", "containerPort",
            "imagePullSecrets", "name");

    private StrategicMerge() {
    }

    static void apply(ObjectNode target, JsonNode patch) {
        for (Map.Entry<String, JsonNode> e : patch.properties()) {
            String field = e.getKey();
            JsonNode value = e.getValue();
            JsonNode current = target.get(field);
            if (value.isNull()) {
                target.remove(field);
            } else if (value.isObject() && current != null && current.isObject()) {
                apply((ObjectNode) current, value);
            } else if (value.isArray() && current != null && current.isArray() && MERGE_KEYS.containsKey(field)) {
                mergeList((ArrayNode) current, (ArrayNode) value, MERGE_KEYS.get(field));
            } else {
                target.set(field, value.deepCopy());
            }
        }
    }

    private static void mergeList(ArrayNode current, ArrayNode patch, String key) {
        for (JsonNode item : patch) {
            ObjectNode match = null;
            for (JsonNode existing : current) {
                if (existing.isObject() && existing.path(key).equals(item.path(key))) {
                    match = (ObjectNode) existing;
                }
            }
            if (match != null) {
                apply(match, item);
            } else {
                current.add(item.deepCopy());
            }
        }
    }
}
