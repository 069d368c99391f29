package io.helios.deploy;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.util.ArrayList;
import java.util.List;

/**
 * YAML documents as Jackson trees, so that the same JSON Schema validator reads YAML and JSON.
 * SnakeYAML rather than Jackson's YAML module because Compose files use merge keys ({@code <<:}),
 * which SnakeYAML resolves the way Compose does. Stateless and thread-safe.
 */
final class Yaml {

    static final JsonMapper JSON = JsonMapper.builder().build();

    private Yaml() {
    }

    /** Every non-empty document of a (possibly multi-document) YAML text. */
    static List<JsonNode> loadAll(String text) {
        var yaml = new org.yaml.snakeyaml.Yaml(new SafeConstructor(new LoaderOptions()));
        List<JsonNode> docs = new ArrayList<>();
        for (Object doc : yaml.loadAll(text)) {
            if (doc != null) {
                docs.add(JSON.valueToTree(doc));
            }
        }
        return docs;
    }

    /** The single document of a YAML text. */
    static JsonNode load(String text) {
        List<JsonNode> docs = loadAll(text);
        if (docs.size() != 1) {
            throw new IllegalArgumentException("expected one YAML document, found " + docs.size());
        }
        return docs.get(0);
    }

    static JsonNode json(String text) {
        return JSON.readTree(text);
    }
}
