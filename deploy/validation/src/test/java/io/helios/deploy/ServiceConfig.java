package io.helios.deploy;

import tools.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What each Helios service reads from its environment, taken from its own configuration file, so
 * that compose and Kubernetes hand a service only variables it actually reads. A variable counts
 * as read when the service's YAML has a {@code ${NAME}} placeholder for it, or when Spring Boot's
 * relaxed binding maps it onto a property prefix the service binds ({@code HELIOS_SECRETS_KEYS_PRIMARY}
 * is {@code helios.secrets.keys.primary}).
 */
final class ServiceConfig {

    /** Service name to its configuration file and the property prefixes bound from the environment. */
    static final Map<String, Service> SERVICES = Map.of(
            "control-plane", new Service("control-plane/src/main/resources/control-plane.yml",
                    List.of("helios.secrets.", "helios.leases.", "helios.broker.enabled", "helios.endpoints.",
                            "spring.rabbitmq.", "spring.datasource.", "spring.flyway.", "spring.profiles.active")),
            "replicator-worker", new Service("replicator-worker/src/main/resources/replicator-worker.yml",
                    List.of("helios.secrets.", "helios.worker.", "helios.apply.", "helios.broker.enabled",
                            "helios.capture.", "spring.rabbitmq.", "spring.profiles.active")),
            "failover-service", new Service("failover-service/src/main/resources/failover-service.yml",
                    List.of("helios.secrets.", "helios.probe.", "helios.decision.", "helios.control-plane.",
                            "helios.broker.enabled", "spring.rabbitmq.", "spring.profiles.active")),
            "gateway", new Service("gateway/src/main/resources/gateway.yml",
                    List.of("helios.services.", "helios.security.jwt.", "helios.gateway.", "spring.data.redis.",
                            "spring.profiles.active")),
            "migration-service", new Service("migration-service/src/main/resources/migration-service.yml",
                    List.of("helios.secrets.", "helios.control-plane.", "helios.migrations.", "helios.broker.enabled",
                            "spring.rabbitmq.", "spring.datasource.", "spring.profiles.active")));

    /** Variables the JVM or the image itself reads. */
    private static final List<String> IMAGE = List.of("JAVA_TOOL_OPTIONS", "HELIOS_HEALTH_PORT");
    private static final Pattern ID_KEY = Pattern.compile("HELIOS_SECRETS_KEYS_([A-Z0-9]+)");

    record Service(String configFile, List<String> boundPrefixes) {

        JsonNode config() {
            return Yaml.load(Repo.read(configFile));
        }
    }

    private ServiceConfig() {
    }

    static List<String> unreadVariables(String service, Iterable<String> names) {
        Service s = SERVICES.get(service);
        String yml = Repo.read(s.configFile());
        List<String> problems = new ArrayList<>();
        for (String name : names) {
            String relaxed = name.toLowerCase(Locale.ROOT).replace('_', '.');
            boolean placeholder = yml.contains("${" + name + ":") || yml.contains("${" + name + "}");
            boolean bound = s.boundPrefixes().stream().anyMatch(relaxed::startsWith);
            if (!placeholder && !bound && !IMAGE.contains(name)) {
                problems.add(service + " is given " + name + ", which " + s.configFile() + " does not read");
            }
        }
        return problems;
    }

    /**
     * The active key id names a key the same environment supplies ({@code HELIOS_SECRETS_KEYS_<ID>});
     * nothing to check for a service without a keyring (the gateway).
     */
    static List<String> keyring(String service, String activeKey, Iterable<String> names) {
        if (!SERVICES.get(service).boundPrefixes().contains("helios.secrets.")) {
            return List.of();
        }
        List<String> ids = new ArrayList<>();
        for (String n : names) {
            Matcher m = ID_KEY.matcher(n);
            if (m.matches()) {
                ids.add(m.group(1).toLowerCase(Locale.ROOT));
            }
        }
        if (activeKey == null || !ids.contains(activeKey)) {
            return List.of(service + ": active key '" + activeKey + "' is not among the supplied keys " + ids);
        }
        return List.of();
    }

    /** Liveness and readiness groups are on, whatever the platform. */
    static boolean probesEnabled(String service) {
        JsonNode probes = SERVICES.get(service).config().path("management").path("endpoint").path("health").path("probes");
        return probes.path("enabled").asBoolean(false);
    }
}
