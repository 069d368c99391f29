package io.helios.deploy;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * What the Kubernetes schemas cannot say about the rendered manifests. Each check returns the
 * problems it found as sentences, empty when fine.
 */
final class K8sChecks {

    /** The Secret the operator creates (docs/deploy.md); manifests only reference it. */
    static final String SECRET = "helios-secrets";
    /** The settings by which the control plane and the gateway verify bearer tokens (one is enough). */
    static final List<String> JWT = List.of("HELIOS_JWT_ISSUER_URI", "HELIOS_JWT_JWK_SET_URI", "HELIOS_JWT_PUBLIC_KEY");

    private K8sChecks() {
    }

    /** The Secret holding each worker's own token, one key per pod name (docs/deploy.md). */
    static final String WORKER_TOKENS = "helios-worker-tokens";
    /** Where a worker pod mounts {@link #WORKER_TOKENS}. */
    static final String WORKER_TOKENS_DIR = "/var/run/helios/worker-tokens";

    /** The objects that run pods: Deployments and StatefulSets (the workers, for their stable pod names). */
    static List<ObjectNode> workloads(List<ObjectNode> objects) {
        return objects.stream().filter(o -> Set.of("Deployment", "StatefulSet").contains(o.path("kind").asString())).toList();
    }

    static String id(JsonNode o) {
        return o.path("kind").asString() + "/" + name(o);
    }

    static List<ObjectNode> ofKind(List<ObjectNode> objects, String kind) {
        return objects.stream().filter(o -> o.path("kind").asString().equals(kind)).toList();
    }

    static String name(JsonNode o) {
        return o.path("metadata").path("name").asString();
    }

    /** Probes on the actuator groups, requests and limits, hardened pod and container security contexts. */
    static List<String> hardenedDeployments(List<ObjectNode> objects) {
        List<String> problems = new ArrayList<>();
        for (ObjectNode d : workloads(objects)) {
            String n = id(d);
            JsonNode pod = d.path("spec").path("template").path("spec");
            JsonNode podSc = pod.path("securityContext");
            require(problems, podSc.path("runAsNonRoot").asBoolean(false), n + ": pod securityContext.runAsNonRoot");
            require(problems, podSc.path("seccompProfile").path("type").asString("").equals("RuntimeDefault"),
                    n + ": pod seccompProfile RuntimeDefault");
            Set<String> emptyDirs = new TreeSet<>();
            pod.path("volumes").forEach(v -> {
                if (v.has("emptyDir")) {
                    emptyDirs.add(v.path("name").asString());
                }
            });
            if (pod.path("containers").isEmpty()) {
                problems.add(n + " has no containers");
            }
            for (JsonNode c : pod.path("containers")) {
                String cn = n + " container " + c.path("name").asString();
                require(problems, c.path("livenessProbe").path("httpGet").path("path").asString("")
                        .equals("/actuator/health/liveness"), cn + ": livenessProbe on /actuator/health/liveness");
                require(problems, c.path("readinessProbe").path("httpGet").path("path").asString("")
                        .equals("/actuator/health/readiness"), cn + ": readinessProbe on /actuator/health/readiness");
                for (String kind : List.of("requests", "limits")) {
                    for (String resource : List.of("cpu", "memory")) {
                        require(problems, c.path("resources").path(kind).has(resource),
                                cn + ": resources." + kind + "." + resource);
                    }
                }
                JsonNode sc = c.path("securityContext");
                require(problems, sc.path("readOnlyRootFilesystem").asBoolean(false), cn + ": readOnlyRootFilesystem");
                require(problems, !sc.path("allowPrivilegeEscalation").asBoolean(true), cn + ": allowPrivilegeEscalation false");
                require(problems, sc.path("capabilities").path("drop").toString().contains("\"ALL\""), cn + ": drop ALL capabilities");
                boolean tmp = false;
                for (JsonNode m : c.path("volumeMounts")) {
                    tmp |= m.path("mountPath").asString().equals("/tmp") && emptyDirs.contains(m.path("name").asString());
                }
                require(problems, tmp, cn + ": an emptyDir on /tmp (the root file system is read-only)");
            }
        }
        return problems;
    }

    /** Every Service selects the pod template labels of some Deployment, on a port that Deployment declares. */
    static List<String> servicesSelectPods(List<ObjectNode> objects) {
        List<String> problems = new ArrayList<>();
        for (ObjectNode s : ofKind(objects, "Service")) {
            JsonNode selector = s.path("spec").path("selector");
            List<ObjectNode> matches = workloads(objects).stream()
                    .filter(d -> selects(selector, d.path("spec").path("template").path("metadata").path("labels")))
                    .toList();
            if (selector.isEmpty() || matches.isEmpty()) {
                problems.add("Service/" + name(s) + " selects no pods");
                continue;
            }
            for (JsonNode port : s.path("spec").path("ports")) {
                String target = port.path("targetPort").asString(port.path("port").asString());
                boolean declared = matches.get(0).path("spec").path("template").path("spec").path("containers")
                        .findValues("ports").stream().flatMap(p -> p.valueStream())
                        .anyMatch(p -> p.path("name").asString("").equals(target)
                                || p.path("containerPort").asString().equals(target));
                require(problems, declared, "Service/" + name(s) + " targets port " + target + " no container declares");
            }
        }
        return problems;
    }

    /** Every selector-bearing object (Deployment, PDB) selects its own pod template / an existing Deployment. */
    static List<String> selectorsMatch(List<ObjectNode> objects) {
        List<String> problems = new ArrayList<>();
        for (ObjectNode d : workloads(objects)) {
            require(problems, selects(d.path("spec").path("selector").path("matchLabels"),
                    d.path("spec").path("template").path("metadata").path("labels")),
                    id(d) + " does not select its own pods");
        }
        for (ObjectNode p : ofKind(objects, "PodDisruptionBudget")) {
            JsonNode selector = p.path("spec").path("selector").path("matchLabels");
            require(problems, workloads(objects).stream().anyMatch(
                    d -> selects(selector, d.path("spec").path("template").path("metadata").path("labels"))),
                    "PodDisruptionBudget/" + name(p) + " selects no pods");
        }
        return problems;
    }

    static List<String> autoscalers(List<ObjectNode> objects) {
        List<String> problems = new ArrayList<>();
        for (ObjectNode h : ofKind(objects, "HorizontalPodAutoscaler")) {
            JsonNode ref = h.path("spec").path("scaleTargetRef");
            boolean exists = ofKind(objects, ref.path("kind").asString()).stream()
                    .anyMatch(o -> name(o).equals(ref.path("name").asString()));
            require(problems, exists, "HorizontalPodAutoscaler/" + name(h) + " scales " + ref.path("kind").asString()
                    + "/" + ref.path("name").asString() + ", which does not exist");
            require(problems, h.path("spec").path("minReplicas").asInt(1) <= h.path("spec").path("maxReplicas").asInt(),
                    "HorizontalPodAutoscaler/" + name(h) + ": minReplicas above maxReplicas");
        }
        return problems;
    }

    /** secretKeyRef name to the keys referenced; configMapRefs must name a rendered ConfigMap. */
    static Map<String, Set<String>> secretKeys(List<ObjectNode> objects) {
        Map<String, Set<String>> refs = new java.util.TreeMap<>();
        for (ObjectNode o : objects) {
            for (JsonNode ref : o.findValues("secretKeyRef")) {
                refs.computeIfAbsent(ref.path("name").asString(), k -> new TreeSet<>()).add(ref.path("key").asString());
            }
        }
        return refs;
    }

    static List<String> configMapRefs(List<ObjectNode> objects) {
        Set<String> maps = new TreeSet<>();
        ofKind(objects, "ConfigMap").forEach(c -> maps.add(name(c)));
        List<String> problems = new ArrayList<>();
        for (ObjectNode o : objects) {
            for (JsonNode ref : o.findValues("configMapRef")) {
                require(problems, maps.contains(ref.path("name").asString()),
                        name(o) + " reads ConfigMap " + ref.path("name").asString() + ", which is not rendered");
            }
        }
        return problems;
    }

    /**
     * The environment a workload's container starts with: ConfigMap data read through
     * {@code envFrom}, then {@code env} (which wins); a Secret reference reads as {@code secret <name>/<key>},
     * a field reference as {@code field <path>}.
     */
    static Map<String, String> environment(List<ObjectNode> objects, String deployment) {
        Map<String, String> env = new java.util.TreeMap<>();
        for (ObjectNode d : workloads(objects)) {
            if (!name(d).equals(deployment)) {
                continue;
            }
            JsonNode container = d.path("spec").path("template").path("spec").path("containers").path(0);
            for (JsonNode from : container.path("envFrom")) {
                String map = from.path("configMapRef").path("name").asString("");
                ofKind(objects, "ConfigMap").stream().filter(c -> name(c).equals(map)).forEach(
                        c -> c.path("data").properties().forEach(e -> env.put(e.getKey(), e.getValue().asString())));
            }
            for (JsonNode e : container.path("env")) {
                JsonNode secret = e.path("valueFrom").path("secretKeyRef");
                JsonNode field = e.path("valueFrom").path("fieldRef");
                env.put(e.path("name").asString(), !secret.isMissingNode()
                        ? "secret " + secret.path("name").asString() + "/" + secret.path("key").asString()
                        : !field.isMissingNode() ? "field " + field.path("fieldPath").asString() : e.path("value").asString(""));
            }
        }
        return env;
    }

    /**
     * The gateway and the control plane verify bearer tokens with the same settings, and where the
     * manifests are meant to be applied ({@code deployable}: the overlays) one of them is set, else
     * both refuse to start. Each worker shows its own token: the file named after its pod in the
     * mounted Secret {@link #WORKER_TOKENS}, its worker id being the pod name; nothing shares one
     * worker token any more (the control plane is given none).
     */
    static List<String> tokenSettings(List<ObjectNode> objects, boolean deployable) {
        List<String> problems = new ArrayList<>();
        Map<String, String> controlPlane = environment(objects, "control-plane");
        Map<String, String> gateway = environment(objects, "gateway");
        for (String jwt : JWT) {
            String cp = controlPlane.getOrDefault(jwt, "");
            String gw = gateway.getOrDefault(jwt, "");
            require(problems, cp.equals(gw), "gateway and control-plane verify tokens differently: " + jwt + " is '"
                    + gw + "' at the gateway, '" + cp + "' at the control plane");
        }
        if (deployable) {
            for (Map.Entry<String, Map<String, String>> service
                    : Map.of("control-plane", controlPlane, "gateway", gateway).entrySet()) {
                require(problems, JWT.stream().anyMatch(j -> !service.getValue().getOrDefault(j, "").isBlank()),
                        service.getKey() + " is given none of " + JWT + " with a value, so it refuses to start");
            }
        }
        require(problems, !controlPlane.containsKey("HELIOS_WORKER_TOKEN"),
                "control-plane is given HELIOS_WORKER_TOKEN: there is no shared worker token any more");
        Map<String, String> worker = environment(objects, "replicator-worker");
        require(problems, worker.getOrDefault("HELIOS_WORKER_ID", "").equals("field metadata.name"),
                "replicator-worker takes HELIOS_WORKER_ID from '" + worker.get("HELIOS_WORKER_ID") + "', not from its pod name");
        String file = worker.getOrDefault("HELIOS_WORKER_TOKEN_FILE", "");
        require(problems, file.equals(WORKER_TOKENS_DIR + "/$(HELIOS_WORKER_ID)"), "replicator-worker reads its token from '"
                + file + "', not from its own key of " + WORKER_TOKENS + " (" + WORKER_TOKENS_DIR + "/$(HELIOS_WORKER_ID))");
        require(problems, !worker.containsKey("HELIOS_WORKER_TOKEN"),
                "replicator-worker is also given HELIOS_WORKER_TOKEN: a worker has exactly one credential");
        require(problems, mountsSecret(objects, "replicator-worker", WORKER_TOKENS, WORKER_TOKENS_DIR),
                "replicator-worker does not mount Secret " + WORKER_TOKENS + " at " + WORKER_TOKENS_DIR);
        return problems;
    }

    /** Whether the workload's container mounts {@code secret} (the whole of it, so that updates arrive) at {@code path}. */
    static boolean mountsSecret(List<ObjectNode> objects, String workload, String secret, String path) {
        for (ObjectNode d : workloads(objects)) {
            if (!name(d).equals(workload)) {
                continue;
            }
            JsonNode pod = d.path("spec").path("template").path("spec");
            for (JsonNode m : pod.path("containers").path(0).path("volumeMounts")) {
                if (m.path("mountPath").asString().equals(path) && !m.has("subPath")) {
                    for (JsonNode v : pod.path("volumes")) {
                        if (v.path("name").asString().equals(m.path("name").asString())
                                && v.path("secret").path("secretName").asString().equals(secret)) {
                            return true;
                        }
                    }
                }
            }
        }
        return false;
    }

    /**
     * A rendered {@link #WORKER_TOKENS} Secret (the dev overlay's example) holds a token for every worker
     * pod the autoscaler may create: {@code replicator-worker-0} up to {@code maxReplicas - 1}.
     */
    static List<String> workerTokensCoverTheAutoscaler(List<ObjectNode> objects) {
        List<String> problems = new ArrayList<>();
        int max = ofKind(objects, "HorizontalPodAutoscaler").stream()
                .filter(h -> h.path("spec").path("scaleTargetRef").path("name").asString().equals("replicator-worker"))
                .mapToInt(h -> h.path("spec").path("maxReplicas").asInt()).max().orElse(0);
        for (ObjectNode s : ofKind(objects, "Secret")) {
            if (!name(s).equals(WORKER_TOKENS)) {
                continue;
            }
            for (int i = 0; i < max; i++) {
                require(problems, s.path("stringData").has("replicator-worker-" + i) || s.path("data").has("replicator-worker-" + i),
                        WORKER_TOKENS + " has no token for pod replicator-worker-" + i + " (the autoscaler may create "
                                + max + " pods)");
            }
        }
        return problems;
    }

    static boolean selects(JsonNode selector, JsonNode labels) {
        if (selector.isMissingNode() || selector.isEmpty()) {
            return false;
        }
        for (Map.Entry<String, JsonNode> e : selector.properties()) {
            if (!labels.path(e.getKey()).asString("\0").equals(e.getValue().asString())) {
                return false;
            }
        }
        return true;
    }

    private static void require(List<String> problems, boolean ok, String what) {
        if (!ok) {
            problems.add(what);
        }
    }
}
