package io.helios.stack;

import io.helios.controlplane.ControlPlaneApplication;
import io.helios.worker.WorkerApplication;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The control plane and any number of workers in this JVM, each its own Spring context with
 * its own configuration name. Used by the local run, the end-to-end tests and the benchmarks.
 * Not thread-safe; {@link #close()} stops workers first, then the control plane.
 */
public final class Stack implements AutoCloseable {

    /** A fixed development key: the local stack only. Production supplies its own keyring. */
    public static final String LOCAL_KEY = Base64.getEncoder().encodeToString(
            "helios-local-development-key-32b".getBytes(java.nio.charset.StandardCharsets.US_ASCII));

    private final ConfigurableApplicationContext controlPlane;
    private final List<ConfigurableApplicationContext> workers = new CopyOnWriteArrayList<>();
    private final Options options;

    /**
     * @param controlDbUrl      JDBC URL of the control plane's own database
     * @param controlPlanePort  0 for any free port
     * @param brokerEnabled     whether an AMQP broker answers on 127.0.0.1:5672
     * @param leaseTtlSeconds   how long a silent worker keeps its leases
     */
    public record Options(String controlDbUrl, String dbUser, String dbPassword, int controlPlanePort,
                          boolean brokerEnabled, int leaseTtlSeconds, Map<String, String> extra) {
    }

    private Stack(Options options, ConfigurableApplicationContext controlPlane) {
        this.options = options;
        this.controlPlane = controlPlane;
    }

    public static Stack start(Options o) {
        // command-line arguments, not builder defaults: each service's own yml would override defaults
        List<String> props = new ArrayList<>(List.of(
                "server.port=" + o.controlPlanePort(),
                "spring.datasource.url=" + o.controlDbUrl(),
                "spring.datasource.username=" + o.dbUser(),
                "spring.datasource.password=" + o.dbPassword(),
                "helios.secrets.active-key=local",
                "helios.secrets.keys.local=" + LOCAL_KEY,
                "helios.broker.enabled=" + o.brokerEnabled(),
                "management.health.rabbit.enabled=" + o.brokerEnabled(),
                "helios.leases.ttl=" + o.leaseTtlSeconds() + "s",
                "helios.leases.heartbeat-interval=1s"));
        o.extra().forEach((k, v) -> props.add(k + "=" + v));
        ConfigurableApplicationContext cp = ControlPlaneApplication.builder()
                .run(props.stream().map(p -> "--" + p).toArray(String[]::new));
        return new Stack(o, cp);
    }

    public String controlPlaneUrl() {
        return "http://127.0.0.1:" + ((WebServerApplicationContext) controlPlane).getWebServer().getPort();
    }

    /** Starts a worker with the given id; port 0 picks a free one; {@code extra} are more {@code --key=value} arguments. */
    public ConfigurableApplicationContext startWorker(String id, int port, String... extra) {
        List<String> args = new ArrayList<>(List.of(
                "--server.port=" + port,
                "--helios.worker.id=" + id,
                "--helios.worker.control-plane-url=" + controlPlaneUrl(),
                "--helios.worker.heartbeat-interval=1s",
                "--helios.worker.lease-ttl=" + options.leaseTtlSeconds() + "s",
                "--helios.secrets.active-key=local",
                "--helios.secrets.keys.local=" + LOCAL_KEY,
                "--helios.broker.enabled=" + options.brokerEnabled(),
                "--management.health.rabbit.enabled=" + options.brokerEnabled()));
        args.addAll(List.of(extra));
        ConfigurableApplicationContext w = WorkerApplication.builder().run(args.toArray(String[]::new));
        workers.add(w);
        return w;
    }

    public static int port(ConfigurableApplicationContext context) {
        return ((WebServerApplicationContext) context).getWebServer().getPort();
    }

    /** Stops one worker (its replications stop; its leases expire after the TTL). */
    public void stopWorker(ConfigurableApplicationContext worker) {
        workers.remove(worker);
        worker.close();
    }

    public HeliosApi api() {
        return new HeliosApi(controlPlaneUrl());
    }

    @Override
    public void close() {
        workers.forEach(ConfigurableApplicationContext::close);
        workers.clear();
        controlPlane.close();
    }
}
