package io.helios.deploy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What compose and k8s add for issue 13: the gateways share their rate limits in Redis, and the
 * control plane serves as a database role that neither owns the schema nor runs the migrations
 * (docs/deploy.md, "Database users"), with the role script and the Flyway callback of
 * {@code deploy/postgres} deployed as they are in the repository.
 */
class DatabaseRolesAndRedisTest {

    private static final String ROLES_SQL = "deploy/postgres/control-plane-roles.sql";
    private static final String CALLBACK_DIR = "deploy/postgres/flyway";
    private static final String CALLBACK = "afterMigrate__service_grants.sql";

    private final JsonNode compose = Yaml.load(Repo.read(ComposeFileTest.COMPOSE));

    /** Compose interpolated with every variable of env.example set to {@code value-of-<name>}. */
    private JsonNode interpolated() {
        Map<String, String> env = new HashMap<>();
        ComposeChecks.envFile(Repo.read("deploy/env.example")).keySet().forEach(k -> env.put(k, "value-of-" + k));
        return ComposeInterpolation.interpolate(compose, env).path("services");
    }

    @Test
    void composeGatewaysShareRateLimitsInTheRedisServiceWithItsPassword() {
        JsonNode services = interpolated();
        JsonNode gateway = services.path("gateway").path("environment");
        assertThat(gateway.path("HELIOS_RATE_LIMIT_STORE").asString()).isEqualTo("redis");
        String host = gateway.path("SPRING_DATA_REDIS_HOST").asString();
        assertThat(services.path(host).path("image").asString()).as("service %s", host).startsWith("redis:");
        assertThat(services.path("gateway").path("depends_on").has(host)).isTrue();
        assertThat(gateway.path("SPRING_DATA_REDIS_PORT").asString()).isEqualTo("6379");
        assertThat(gateway.path("SPRING_DATA_REDIS_PASSWORD").asString()).isEqualTo("value-of-HELIOS_REDIS_PASSWORD");
        assertThat(services.path(host).path("environment").path("REDIS_PASSWORD").asString())
                .isEqualTo("value-of-HELIOS_REDIS_PASSWORD");
        assertThat(services.path(host).path("command").toString()).contains("--requirepass", "$REDIS_PASSWORD");
        assertThat(services.path(host).has("ports")).as("Redis is not published").isFalse();
    }

    @Test
    void composeControlPlaneServesAsARoleThatNeitherOwnsNorMigrates() {
        JsonNode services = interpolated();
        JsonNode cp = services.path("control-plane").path("environment");
        JsonNode db = services.path("pg-control");
        JsonNode dbEnv = db.path("environment");
        assertThat(cp.path("HELIOS_DB_URL").asString()).contains("//pg-control:5432/" + dbEnv.path("POSTGRES_DB").asString());
        assertThat(cp.path("SPRING_FLYWAY_USER").asString()).isEqualTo(dbEnv.path("POSTGRES_USER").asString());
        assertThat(cp.path("SPRING_FLYWAY_PASSWORD").asString()).isEqualTo(dbEnv.path("POSTGRES_PASSWORD").asString())
                .isEqualTo("value-of-HELIOS_DB_OWNER_PASSWORD");
        assertThat(cp.path("HELIOS_DB_USER").asString()).isNotEqualTo(cp.path("SPRING_FLYWAY_USER").asString())
                .isEqualTo(dbEnv.path("HELIOS_DB_SERVICE_USER").asString());
        assertThat(cp.path("HELIOS_DB_PASSWORD").asString()).isEqualTo(dbEnv.path("HELIOS_DB_SERVICE_PASSWORD").asString())
                .isEqualTo("value-of-HELIOS_DB_PASSWORD");
        String script = Repo.read("deploy/postgres/control-plane-roles.sh");
        assertThat(mounts(db)).containsEntry("./deploy/postgres/control-plane-roles.sh",
                "/docker-entrypoint-initdb.d/10-control-plane-roles.sh");
        String sqlTarget = mounts(db).get("./" + ROLES_SQL);
        assertThat(script).contains("-f " + sqlTarget, "$HELIOS_DB_SERVICE_USER", "$HELIOS_DB_SERVICE_PASSWORD");
        String callbackTarget = mounts(services.path("control-plane")).get("./" + CALLBACK_DIR);
        assertThat(cp.path("SPRING_FLYWAY_LOCATIONS").asString().split(","))
                .containsExactly("classpath:db/migration", "filesystem:" + callbackTarget);
    }

    /** Bind mounts of a compose service, host path to container path. */
    private static Map<String, String> mounts(JsonNode service) {
        Map<String, String> mounts = new HashMap<>();
        for (JsonNode v : service.path("volumes")) {
            String[] parts = v.asString().split(":");
            if (parts[0].startsWith("./")) {
                mounts.put(parts[0], parts[1]);
            }
        }
        return mounts;
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"k8s/base", "k8s/overlays/dev", "k8s/overlays/prod"})
    void k8sControlPlaneServesAsARoleThatNeitherOwnsNorMigrates(String dir) {
        List<ObjectNode> objects = Kustomize.build(Repo.path(dir));
        Map<String, String> cp = K8sChecks.environment(objects, "control-plane");
        JsonNode sql = configMap(objects, "control-plane-db").path("data");
        assertThat(cp.get("HELIOS_DB_USER")).isNotEqualTo(cp.get("SPRING_FLYWAY_USER"))
                .isEqualTo(sql.path("HELIOS_DB_SERVICE_USER").asString());
        assertThat(sql.path("PGUSER").asString()).isEqualTo(cp.get("SPRING_FLYWAY_USER"));
        assertThat(cp.get("HELIOS_DB_PASSWORD")).isEqualTo("secret " + K8sChecks.SECRET + "/db-password");
        assertThat(cp.get("SPRING_FLYWAY_PASSWORD")).isEqualTo("secret " + K8sChecks.SECRET + "/db-owner-password");
        assertThat(sql.path("control-plane-roles.sql").asString()).isEqualTo(Repo.read(ROLES_SQL));
        assertThat(sql.path(CALLBACK).asString()).isEqualTo(Repo.read(CALLBACK_DIR + "/" + CALLBACK));

        JsonNode pod = deployment(objects, "control-plane").path("spec").path("template").path("spec");
        JsonNode init = pod.path("initContainers").path(0);
        assertThat(init.path("name").asString()).isEqualTo("db-roles");
        assertThat(init.path("command").toString()).contains("-f /opt/helios/sql/control-plane-roles.sql");
        assertThat(init.path("env").toString()).contains("db-owner-password", "db-password");
        String location = cp.get("SPRING_FLYWAY_LOCATIONS").split(",")[1].substring("filesystem:".length());
        assertThat(pod.path("containers").path(0).path("volumeMounts").toString())
                .contains("\"mountPath\":\"" + location + "/" + CALLBACK + "\"");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"k8s/base", "k8s/overlays/dev", "k8s/overlays/prod"})
    void k8sGatewaysShareRateLimitsInRedis(String dir) {
        List<ObjectNode> objects = Kustomize.build(Repo.path(dir));
        Map<String, String> gateway = K8sChecks.environment(objects, "gateway");
        assertThat(gateway.get("HELIOS_RATE_LIMIT_STORE")).isEqualTo("redis");
        assertThat(gateway.get("SPRING_DATA_REDIS_HOST")).isNotBlank();
        assertThat(gateway.get("SPRING_DATA_REDIS_PASSWORD")).isEqualTo("secret " + K8sChecks.SECRET + "/redis-password");
    }

    private static JsonNode configMap(List<ObjectNode> objects, String name) {
        return K8sChecks.ofKind(objects, "ConfigMap").stream().filter(c -> K8sChecks.name(c).equals(name))
                .findFirst().orElseThrow(() -> new AssertionError("no ConfigMap " + name));
    }

    private static JsonNode deployment(List<ObjectNode> objects, String name) {
        return K8sChecks.ofKind(objects, "Deployment").stream().filter(d -> K8sChecks.name(d).equals(name))
                .findFirst().orElseThrow();
    }
}
