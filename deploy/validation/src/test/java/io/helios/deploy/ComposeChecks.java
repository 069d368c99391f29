package io.helios.deploy;

import tools.jackson.databind.JsonNode;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the Compose schema cannot say about docker-compose.yml. Each check returns the problems it
 * found as sentences (empty when fine), so a test can feed it a broken document and see it fail.
 */
final class ComposeChecks {

    /** The services allowed to publish a host port: the one Helios door and the two monitoring UIs. */
    static final Set<String> PUBLISHED = Set.of("gateway", "grafana", "prometheus");
    /** The start of a braced variable, nested ones included: its name and its operator ({@code :?}, {@code :-}...). */
    private static final Pattern VARIABLE = Pattern.compile("(?<!\\$)\\$\\{([A-Za-z_][A-Za-z0-9_]*)(:?[-?+])?");
    private static final Pattern BARE_VARIABLE = Pattern.compile("(?<!\\$)\\$([A-Za-z_][A-Za-z0-9_]*)");
    private static final Pattern SECRET_NAME = Pattern.compile("(?!.*PUBLIC_KEY$).*(PASSWORD|SECRET|_KEY|_TOKEN)$");

    private ComposeChecks() {
    }

    static Map<String, JsonNode> services(JsonNode compose) {
        Map<String, JsonNode> services = new java.util.LinkedHashMap<>();
        compose.path("services").properties().forEach(e -> services.put(e.getKey(), e.getValue()));
        return services;
    }

    static List<String> dependencies(JsonNode compose) {
        List<String> problems = new ArrayList<>();
        Map<String, JsonNode> services = services(compose);
        services.forEach((name, s) -> {
            JsonNode deps = s.path("depends_on");
            if (deps.isArray()) {
                problems.add(name + ": depends_on is a list; use the long form with condition: service_healthy");
                return;
            }
            deps.properties().forEach(d -> {
                if (!services.containsKey(d.getKey())) {
                    problems.add(name + " depends on " + d.getKey() + ", which is not a service");
                } else if (!"service_healthy".equals(d.getValue().path("condition").asString(""))) {
                    problems.add(name + " does not wait for " + d.getKey() + " to be healthy");
                } else if (!hasHealthcheck(services.get(d.getKey()))) {
                    problems.add(name + " waits for " + d.getKey() + " to be healthy, but it has no healthcheck");
                }
            });
        });
        return problems;
    }

    static List<String> healthchecks(JsonNode compose) {
        List<String> problems = new ArrayList<>();
        services(compose).forEach((name, s) -> {
            if (!hasHealthcheck(s)) {
                problems.add(name + " has no healthcheck");
            }
        });
        return problems;
    }

    static List<String> publishedPorts(JsonNode compose) {
        List<String> problems = new ArrayList<>();
        services(compose).forEach((name, s) -> {
            if (s.has("ports") && !PUBLISHED.contains(name)) {
                problems.add(name + " publishes a host port; only " + new TreeSet<>(PUBLISHED) + " may");
            }
            if (s.path("network_mode").asString("").equals("host")) {
                problems.add(name + " uses the host network");
            }
        });
        return problems;
    }

    /** The worker service can be scaled: no fixed container name, no fixed host port. */
    static List<String> scalable(JsonNode compose, String service) {
        JsonNode s = compose.path("services").path(service);
        List<String> problems = new ArrayList<>();
        if (s.isMissingNode()) {
            problems.add(service + " is not a service");
        }
        if (s.has("container_name")) {
            problems.add(service + " has a container_name, so it cannot be scaled");
        }
        if (s.has("ports")) {
            problems.add(service + " publishes a port, so a second replica would conflict");
        }
        return problems;
    }

    /** Whether a variable holds a secret (a password, secret, key or token; an RSA public key is not one). */
    static boolean isSecret(String name) {
        return SECRET_NAME.matcher(name).matches();
    }

    /** Variables interpolated in the raw compose text, in order of appearance. */
    static Set<String> variables(String composeText) {
        Set<String> names = new LinkedHashSet<>();
        Matcher m = VARIABLE.matcher(composeText);
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    static List<String> interpolation(String composeText, Map<String, String> envExample) {
        List<String> problems = new ArrayList<>();
        for (String v : variables(composeText)) {
            if (!envExample.containsKey(v)) {
                problems.add("${" + v + "} is not documented in deploy/env.example");
            }
        }
        Matcher bare = BARE_VARIABLE.matcher(composeText);
        while (bare.find()) {
            problems.add("$" + bare.group(1) + " should be written ${" + bare.group(1) + "}");
        }
        Matcher m = VARIABLE.matcher(composeText);
        while (m.find()) {
            if (isSecret(m.group(1)) && !":?".equals(m.group(2))) {
                problems.add("${" + m.group(1) + "} is a secret: require it with ${" + m.group(1) + ":?message}");
            }
        }
        envExample.forEach((k, v) -> {
            if (isSecret(k) && !v.isEmpty() && !v.equals("change-me")) {
                problems.add("deploy/env.example gives " + k + " a value: secrets there must be change-me");
            }
        });
        return problems;
    }

    /** Every build names a Dockerfile that exists; every ./ bind mount names a file or directory that exists. */
    static List<String> referencedFiles(JsonNode compose) {
        List<String> problems = new ArrayList<>();
        services(compose).forEach((name, s) -> {
            JsonNode build = s.path("build");
            if (build.isObject()) {
                String context = build.path("context").asString(".");
                String dockerfile = build.path("dockerfile").asString("Dockerfile");
                if (!Files.isRegularFile(Repo.path(context).resolve(dockerfile))) {
                    problems.add(name + " builds from " + dockerfile + ", which does not exist");
                }
            }
            for (JsonNode v : s.path("volumes")) {
                String source = v.isString() ? v.asString().split(":")[0] : v.path("source").asString("");
                if (source.startsWith("./") && !Files.exists(Repo.path(source))) {
                    problems.add(name + " mounts " + source + ", which does not exist");
                }
            }
        });
        return problems;
    }

    static boolean hasHealthcheck(JsonNode service) {
        JsonNode h = service.path("healthcheck");
        return h.isObject() && !h.path("disable").asBoolean(false) && h.has("test")
                && !(h.get("test").isArray() && h.get("test").path(0).asString("").equals("NONE"));
    }

    /** KEY=value lines of an env file (comments and blank lines skipped). */
    static Map<String, String> envFile(String text) {
        Map<String, String> env = new java.util.LinkedHashMap<>();
        for (String line : text.split("\n")) {
            String l = line.strip();
            if (!l.isEmpty() && !l.startsWith("#") && l.contains("=")) {
                env.put(l.substring(0, l.indexOf('=')).strip(), l.substring(l.indexOf('=') + 1).strip());
            }
        }
        return env;
    }
}
