package io.helios.stack.process;

import io.helios.controlplane.ControlPlaneApplication;
import io.helios.security.Role;
import io.helios.security.token.PemKeys;
import io.helios.security.token.TokenIssuer;
import io.helios.stack.HeliosApi;
import io.helios.stack.Stack;
import io.helios.worker.WorkerApplication;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A control plane and workers, each in its own JVM ({@link JvmProcess}), configured like the
 * in-JVM {@link Stack} (the same secrets keyring, a token minted for each worker, RS256 tokens of an issuer held
 * here) but without a broker: heartbeats alone carry the leases, so a crash test depends on
 * nothing but the processes it kills and the clusters. The control plane keeps one port for
 * the whole run, so that a control plane started again after a crash is found by the workers
 * already running. Not thread-safe.
 */
public final class HeliosProcesses implements AutoCloseable {

    /** Generous: a JVM of this classpath starts in ~10 s on an idle 2-core machine, several times that under load. */
    private static final Duration READY = Duration.ofMinutes(5);

    private final String controlDbUrl;
    private final String dbUser;
    private final String dbPassword;
    private final Duration leaseTtl;
    private final String logPrefix;
    private final int controlPlanePort = freePort();
    private final TokenIssuer issuer = new TokenIssuer(PemKeys.generateRsa());
    private final List<JvmProcess> started = new ArrayList<>();
    private final AtomicInteger controlPlaneRuns = new AtomicInteger();
    private JvmProcess controlPlane;

    /**
     * @param controlDbUrl JDBC URL of the control plane's database (kept across its restarts)
     * @param leaseTtl     lease TTL of the control plane and the workers
     * @param logPrefix    prefix of the log files under {@code target/crash-logs/}
     */
    public HeliosProcesses(String controlDbUrl, String dbUser, String dbPassword, Duration leaseTtl, String logPrefix) {
        this.controlDbUrl = controlDbUrl;
        this.dbUser = dbUser;
        this.dbPassword = dbPassword;
        this.leaseTtl = leaseTtl;
        this.logPrefix = logPrefix;
    }

    /** Starts the control plane (again, after a crash: same port, same database) and waits until it is ready. */
    public JvmProcess startControlPlane() {
        return startControlPlaneAsync().awaitReady(READY);
    }

    /** Starts the control plane without waiting (start workers beside it, then {@link JvmProcess#awaitReady}). */
    public JvmProcess startControlPlaneAsync() {
        if (controlPlane != null && controlPlane.isAlive()) {
            throw new IllegalStateException("the control plane runs already");
        }
        List<String> args = List.of(
                "--spring.datasource.url=" + controlDbUrl,
                "--spring.datasource.username=" + dbUser,
                "--helios.secrets.active-key=local",
                "--helios.broker.enabled=false",
                "--management.health.rabbit.enabled=false",
                "--helios.leases.ttl=" + leaseTtl.toMillis() + "ms",
                "--helios.leases.heartbeat-interval=1s",
                "--helios.security.jwt.public-key=" + issuer.publicKeyPem(),
                "--spring.cloud.gateway.server.webflux.enabled=false");
        Map<String, String> env = Map.of("HELIOS_DB_PASSWORD", dbPassword, "HELIOS_SECRETS_KEYS_LOCAL", Stack.LOCAL_KEY);
        controlPlane = track(JvmProcess.start(logPrefix + "-control-plane-" + controlPlaneRuns.incrementAndGet(),
                ControlPlaneApplication.class.getName(), controlPlanePort, args, env));
        return controlPlane;
    }

    /** Starts a worker and waits until it is ready; {@code extra} are more {@code --key=value} arguments. */
    public JvmProcess startWorker(String id, String... extra) {
        return startWorkerAsync(id, extra).awaitReady(READY);
    }

    /** Starts a worker without waiting (start several at once, then {@link JvmProcess#awaitReady}). */
    public JvmProcess startWorkerAsync(String id, String... extra) {
        List<String> args = new ArrayList<>(List.of(
                "--helios.worker.id=" + id,
                "--helios.worker.control-plane-url=" + controlPlaneUrl(),
                "--helios.worker.heartbeat-interval=1s",
                "--helios.worker.lease-ttl=" + leaseTtl.toMillis() + "ms",
                "--helios.secrets.active-key=local",
                "--helios.broker.enabled=false",
                "--management.health.rabbit.enabled=false",
                "--spring.cloud.gateway.server.webflux.enabled=false"));
        args.addAll(List.of(extra));
        // each worker its own credential, minted for its id
        Map<String, String> env = Map.of("HELIOS_WORKER_TOKEN", issuer.mintWorker(id, Duration.ofDays(1)),
                "HELIOS_SECRETS_KEYS_LOCAL", Stack.LOCAL_KEY);
        return track(JvmProcess.start(logPrefix + "-" + id, WorkerApplication.class.getName(), freePort(), args, env));
    }

    private JvmProcess track(JvmProcess p) {
        started.add(p);
        return p;
    }

    public JvmProcess controlPlane() {
        return controlPlane;
    }

    public String controlPlaneUrl() {
        return "http://127.0.0.1:" + controlPlanePort;
    }

    /** The control plane's REST API with an admin token. */
    public HeliosApi api() {
        return new HeliosApi(controlPlaneUrl(), issuer.mint("crash-admin", List.of(Role.ADMIN), null, Duration.ofDays(1)));
    }

    /** How long {@link #startControlPlane()} and {@link #startWorker} wait for readiness. */
    public static Duration readyBound() {
        return READY;
    }

    /** Kills every process still running, the last started first (SIGKILL: teardown needs no graceful stop). */
    @Override
    public void close() {
        RuntimeException first = null;
        for (int i = started.size() - 1; i >= 0; i--) {
            JvmProcess p = started.get(i);
            try {
                p.close();
            } catch (RuntimeException e) {
                first = first == null ? e : first;
            }
        }
        started.clear();
        if (first != null) {
            throw first;
        }
    }

    /**
     * A port free now, below Linux's ephemeral range (32768-60999): a port the kernel handed out
     * for {@code new ServerSocket(0)} comes from that range, from which every outgoing connection
     * (JDBC, HTTP) also takes its local port, so one of them could take it before the process (or
     * the control plane restarted after a crash) binds it. Seen in CI: "Port 37081 was already in use".
     */
    static int freePort() {
        java.util.concurrent.ThreadLocalRandom random = java.util.concurrent.ThreadLocalRandom.current();
        for (int attempt = 0; attempt < 200; attempt++) {
            int port = random.nextInt(20000, 32000);
            try (ServerSocket s = new ServerSocket()) {
                s.setReuseAddress(true);
                s.bind(new java.net.InetSocketAddress("127.0.0.1", port));
                return port;
            } catch (IOException taken) {
                // another listener has it: try another
            }
        }
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
