package io.helios.deploy;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The ingress rules k8s/ must express: deny by default; the gateway open to any client; the
 * control plane open to the gateway and the workers (and metrics); workers open to metrics only.
 * "Metrics" is a namespaceSelector on a monitoring label, never a pod of this namespace.
 */
final class NetworkPolicies {

    private NetworkPolicies() {
    }

    static List<String> problems(List<ObjectNode> objects) {
        List<String> problems = new ArrayList<>();
        List<ObjectNode> policies = K8sChecks.ofKind(objects, "NetworkPolicy");
        boolean defaultDeny = policies.stream().anyMatch(p -> p.path("spec").path("podSelector").isEmpty()
                && p.path("spec").path("policyTypes").toString().contains("Ingress")
                && p.path("spec").path("ingress").isEmpty());
        if (!defaultDeny) {
            problems.add("no default-deny ingress NetworkPolicy (podSelector {}, policyTypes [Ingress], no rules)");
        }
        for (ObjectNode d : K8sChecks.workloads(objects)) {
            String app = K8sChecks.name(d);
            JsonNode labels = d.path("spec").path("template").path("metadata").path("labels");
            Set<String> sources = new TreeSet<>();
            for (ObjectNode p : policies) {
                if (!K8sChecks.selects(p.path("spec").path("podSelector").path("matchLabels"), labels)) {
                    continue;
                }
                for (JsonNode rule : p.path("spec").path("ingress")) {
                    if (!rule.has("from") || rule.path("from").isEmpty()) {
                        sources.add("anyone");
                    }
                    for (JsonNode peer : rule.path("from")) {
                        sources.add(describe(peer, objects));
                    }
                }
            }
            Set<String> expected = switch (app) {
                case "gateway" -> Set.of("anyone");
                case "control-plane" -> Set.of("pods:gateway", "pods:replicator-worker", "pods:failover-service",
                        "pods:migration-service", "monitoring");
                case "failover-service", "migration-service" -> Set.of("pods:gateway", "monitoring");
                case "replicator-worker" -> Set.of("monitoring");
                default -> Set.of();
            };
            if (!sources.equals(expected)) {
                problems.add(app + " admits " + sources + ", expected " + new TreeSet<>(expected));
            }
        }
        return problems;
    }

    private static String describe(JsonNode peer, List<ObjectNode> objects) {
        if (peer.has("ipBlock")) {
            return "ipBlock";
        }
        if (peer.has("namespaceSelector")) {
            return peer.path("namespaceSelector").path("matchLabels").path("helios.io/monitoring").asString("").equals("true")
                    && !peer.has("podSelector") ? "monitoring" : "namespaces:" + peer.path("namespaceSelector");
        }
        JsonNode selector = peer.path("podSelector").path("matchLabels");
        List<String> apps = K8sChecks.workloads(objects).stream()
                .filter(d -> K8sChecks.selects(selector, d.path("spec").path("template").path("metadata").path("labels")))
                .map(K8sChecks::name).toList();
        return apps.size() == 1 ? "pods:" + apps.get(0) : "pods:" + apps;
    }
}
