package io.helios.stack;

import io.helios.migration.MigrationServiceApplication;
import io.helios.security.Role;
import io.helios.stack.process.JvmProcess;
import io.helios.testsupport.Broker;
import io.helios.testsupport.PostgresCluster;
import io.helios.testsupport.TestClusters;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.ServerSocket;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.helios.stack.Databases.exec;
import static io.helios.stack.Databases.scalar;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The migration service killed with SIGKILL in a chosen phase, in its own JVM, beside a real
 * control plane, worker and PostgreSQL: started again, it resumes from the persisted phase (the
 * same copy, not a second one) or rolls the interrupted cutover back and cuts over later; while it
 * is dead the tenant is never writable in two places. (A holder that dies after committing its
 * refusal-in-waiting, the other crash point of the cutover, is FenceHoldIT's
 * {@code aHolderThatDiesAfterMarkingTheMoveLeavesARefusal} plus CutoverStep's recovery.)
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MigrationCrashIT {

    private static final Duration WAIT = Duration.ofMinutes(3);
    private static final String SERVICE_DB = "mig_crash_service";

    private PostgresCluster pg;
    private Stack stack;
    private HeliosApi controlPlane;
    private final int port = freePort();
    private int runs;
    private JvmProcess migration;

    @BeforeAll
    void start() {
        pg = TestClusters.shared();
        pg.createDatabase("mig_crash_control");
        pg.createDatabase(SERVICE_DB);
        boolean broker = Broker.answers();
        stack = Stack.start(new Stack.Options(pg.jdbcUrl("mig_crash_control"), pg.user(), pg.password(), 0, broker, 4,
                Map.of()));
        stack.startWorker("mig-crash-worker", 0, "--helios.apply.poll-timeout=20ms");
        controlPlane = stack.api();
    }

    @AfterAll
    void stop() {
        if (migration != null) {
            migration.close();
        }
        if (stack != null) {
            stack.close();
        }
    }

    private JvmProcess startMigrationService() {
        if (migration != null && migration.isAlive()) {
            migration.close(); // one service at a time on the one port
        }
        String token = stack.issuer().mint("service:migration-service", List.of(Role.SERVICE, Role.ADMIN), null,
                Duration.ofDays(1));
        List<String> args = List.of(
                "--spring.datasource.url=" + pg.jdbcUrl(SERVICE_DB),
                "--spring.datasource.username=" + pg.user(),
                "--helios.control-plane.url=" + stack.controlPlaneUrl(),
                "--helios.security.jwt.public-key=" + stack.issuer().publicKeyPem(),
                "--helios.security.jwt.audience=" + stack.issuer().audience(),
                "--helios.secrets.active-key=local",
                "--helios.broker.enabled=false",
                "--helios.migrations.tick=200ms",
                "--helios.migrations.lease-ttl=15s",
                "--spring.cloud.gateway.server.webflux.enabled=false");
        Map<String, String> env = Map.of("HELIOS_MIGRATION_DB_PASSWORD", pg.password() == null ? "" : pg.password(),
                "HELIOS_CONTROL_PLANE_TOKEN", token, "HELIOS_SECRETS_KEYS_LOCAL", Stack.LOCAL_KEY);
        migration = JvmProcess.start("migration-service-" + ++runs, MigrationServiceApplication.class.getName(), port,
                args, env).awaitReady(Duration.ofMinutes(5));
        return migration;
    }

    private HeliosApi migrations() {
        return new HeliosApi("http://127.0.0.1:" + port, stack.token(Role.OPERATOR));
    }

    /** Two regions with the tenant's schema deployed, {@code rows} accounts on region a, the tenant primary there. */
    private Map<String, String> tenant(String tenant, int rows) {
        String a = "mig_crash_" + tenant + "_a";
        String b = "mig_crash_" + tenant + "_b";
        for (String db : List.of(a, b)) {
            pg.createDatabase(db);
            exec(pg, db, "CREATE SCHEMA " + tenant, WriteLoad.DDL_LEDGER.formatted(tenant),
                    "CREATE TABLE " + tenant + ".accounts (id bigserial PRIMARY KEY, balance numeric NOT NULL, note text)");
        }
        exec(pg, a, "INSERT INTO " + tenant + ".accounts (balance, note) SELECT g, repeat('x', 100)"
                + " FROM generate_series(1, " + rows + ") g");
        String ea = controlPlane.createEndpoint(tenant + "-a", "region-a", pg.jdbcUrl(a), pg.user(), pg.password());
        String eb = controlPlane.createEndpoint(tenant + "-b", "region-b", pg.jdbcUrl(b), pg.user(), pg.password());
        controlPlane.post("/tenants", Map.of("id", tenant, "name", tenant, "primaryEndpointId", ea));
        return Map.of("a", a, "b", b, "endpointA", ea, "endpointB", eb);
    }

    private String create(String tenant, String target, int pauseMs) {
        Map<String, Object> body = new HashMap<>(Map.of("tenantId", tenant, "targetEndpointId", target,
                "cutover", "MANUAL", "maxWritePauseMs", pauseMs, "maxLagForCutoverMs", 5000, "keepReverse", false,
                "tenancyModel", "SCHEMA", "sourceSchema", tenant));
        return (String) migrations().post("/migrations", body).get("id");
    }

    private Map<String, Object> awaitPhase(String id, String... phases) {
        return await("migration " + id + " in " + List.of(phases)).atMost(WAIT).pollInterval(Duration.ofMillis(100))
                .until(() -> migrations().get("/migrations/" + id), m -> List.of(phases).contains(m.get("phase")));
    }

    @Test
    void killedWhileCopyingResumesTheSameCopy() {
        Map<String, String> t = tenant("crashcopy", 300_000);
        startMigrationService();
        String id = create("crashcopy", t.get("endpointB"), 2000);
        awaitPhase(id, "COPYING");
        migration.kill();

        // dead in COPYING: the tenant is served by region a, which takes writes
        exec(pg, t.get("a"), "INSERT INTO crashcopy.accounts (balance) VALUES (-1)");
        assertThat(controlPlane.get("/tenants/crashcopy/route").get("primaryEndpointId")).isEqualTo(t.get("endpointA"));

        startMigrationService();
        awaitPhase(id, "READY");
        assertThat(controlPlane.list("/replications").stream().filter(r -> "crashcopy".equals(r.get("tenantId"))))
                .as("one replication: the copy resumed, no second one").hasSize(1);
        migrations().post("/migrations/" + id + "/cutover", null);
        Map<String, Object> done = awaitPhase(id, "DONE", "FAILED");
        assertThat(done.get("outcome")).as("migration %s", done).isEqualTo("MOVED");
        assertThat(controlPlane.get("/tenants/crashcopy/route").get("primaryEndpointId")).isEqualTo(t.get("endpointB"));
        assertThat(TenantChecksums.of(pg, t.get("b"), "crashcopy")).isEqualTo(TenantChecksums.of(pg, t.get("a"), "crashcopy"));
        assertThatThrownBy(() -> exec(pg, t.get("a"), "INSERT INTO crashcopy.accounts (balance) VALUES (-2)"))
                .hasMessageContaining("moved to region-b");
        exec(pg, t.get("b"), "INSERT INTO crashcopy.accounts (balance) VALUES (-3)");
    }

    @Test
    void killedDuringTheCutoverRollsItBackThenCutsOver() throws Exception {
        Map<String, String> t = tenant("crashcut", 2_000);
        startMigrationService();
        String id = create("crashcut", t.get("endpointB"), 10_000);
        awaitPhase(id, "READY");
        try (Connection inFlight = pg.connect(t.get("a"))) {
            // a writer whose transaction began before the hold: the cutover waits for it
            inFlight.setAutoCommit(false);
            try (Statement s = inFlight.createStatement()) {
                s.execute("INSERT INTO crashcut.ledger (writer, n, note) VALUES (9, 1, 'in flight')");
            }
            migrations().post("/migrations/" + id + "/cutover", null);
            // the cutover's hold asks for the tenant's lock and waits for the writer in flight (new writers would queue)
            await("the hold on region a").atMost(WAIT).pollInterval(Duration.ofMillis(20)).until(() ->
                    "1".equals(scalar(pg, t.get("a"), "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'"
                            + " AND NOT granted AND mode = 'ExclusiveLock'")));
            migration.kill();

            // dead mid-cutover, before the route moved: the hold died with its session, region a is the primary and
            // takes writes, region b is still a fenced replica: writable in one place only
            assertThat(controlPlane.get("/tenants/crashcut/route").get("primaryEndpointId")).isEqualTo(t.get("endpointA"));
            exec(pg, t.get("a"), "INSERT INTO crashcut.accounts (balance) VALUES (-1)");
            assertThatThrownBy(() -> exec(pg, t.get("b"), "INSERT INTO crashcut.accounts (balance) VALUES (-1)"))
                    .hasMessageContaining("read-only");
            inFlight.commit(); // it commits on the primary, and must reach region b
        }
        startMigrationService();
        Map<String, Object> done = awaitPhase(id, "DONE", "FAILED");
        assertThat(done.get("outcome")).as("migration %s", done).isEqualTo("MOVED");
        assertThat(controlPlane.get("/tenants/crashcut/route").get("primaryEndpointId")).isEqualTo(t.get("endpointB"));
        assertThat(scalar(pg, t.get("b"), "SELECT note FROM crashcut.ledger WHERE writer = 9")).isEqualTo("in flight");
        assertThat(TenantChecksums.of(pg, t.get("b"), "crashcut")).isEqualTo(TenantChecksums.of(pg, t.get("a"), "crashcut"));
        assertThatThrownBy(() -> exec(pg, t.get("a"), "INSERT INTO crashcut.accounts (balance) VALUES (-2)"))
                .hasMessageContaining("moved to region-b");
        exec(pg, t.get("b"), "INSERT INTO crashcut.accounts (balance) VALUES (-3)");
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
