package io.helios.deploy;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The committed JSON schemas (see {@code schemas/SOURCES.md}): the Compose specification and the
 * Kubernetes {@value #KUBERNETES_VERSION} strict standalone schemas, one per kind and API version.
 * Schemas are compiled once and cached; thread-safe.
 */
final class Schemas {

    static final String KUBERNETES_VERSION = "v1.31.0-standalone-strict";

    private static final SchemaRegistry REGISTRY = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_7);
    private static final Map<String, Schema> CACHE = new ConcurrentHashMap<>();

    private Schemas() {
    }

    /** What is wrong with a Compose file, as "path: message" lines; empty when it conforms. */
    static List<String> composeProblems(JsonNode compose) {
        return problems(schema("schemas/compose/compose-spec.json"), compose);
    }

    /** What is wrong with one Kubernetes object; an object of a kind without a committed schema is a problem too. */
    static List<String> kubernetesProblems(JsonNode object) {
        String resource = kubernetesSchemaFile(object.path("apiVersion").asString(""), object.path("kind").asString(""));
        if (Schemas.class.getClassLoader().getResource(resource) == null) {
            return List.of("no schema " + resource + " committed for " + object.path("kind").asString("?")
                    + " " + object.path("apiVersion").asString("?"));
        }
        return problems(schema(resource), object);
    }

    /** yannh/kubernetes-json-schema's file naming: kind, then group (first label) and version; core kinds have no group. */
    static String kubernetesSchemaFile(String apiVersion, String kind) {
        String k = kind.toLowerCase(Locale.ROOT);
        int slash = apiVersion.indexOf('/');
        String name = slash < 0 ? k + "-" + apiVersion
                : k + "-" + apiVersion.substring(0, slash).split("\\.")[0] + "-" + apiVersion.substring(slash + 1);
        return "schemas/kubernetes/" + KUBERNETES_VERSION + "/" + name + ".json";
    }

    private static List<String> problems(Schema schema, JsonNode instance) {
        List<Error> errors = schema.validate(instance);
        return errors.stream().map(e -> e.getInstanceLocation() + ": " + e.getMessage()).toList();
    }

    private static Schema schema(String resource) {
        return CACHE.computeIfAbsent(resource, r -> {
            try (InputStream in = Schemas.class.getClassLoader().getResourceAsStream(r)) {
                if (in == null) {
                    throw new IllegalStateException("missing schema resource " + r);
                }
                JsonNode node = Yaml.JSON.readTree(in);
                // the Kubernetes schemas name "http://json-schema.org/schema#" (the latest draft of
                // their day); they use nothing beyond draft-07, which is what they are read as
                if (node.path("$schema").asString("").equals("http://json-schema.org/schema#")) {
                    ((ObjectNode) node).put("$schema", "http://json-schema.org/draft-07/schema#");
                }
                return REGISTRY.getSchema(SchemaLocation.of("classpath:" + r), node);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }
}
