package io.helios.stack.process;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.awaitility.Awaitility.await;

/**
 * One Spring Boot service in a JVM process of its own, started from the test JVM's classpath:
 * {@code java -cp <classpath> <main class> --key=value...}, with secrets in the environment
 * (never on the command line, where {@code ps} shows them). Its stdout and stderr go to a log
 * file under {@code target/crash-logs/} for diagnosis. {@link #kill()} is SIGKILL: the process
 * gets no chance to release anything, which is the point of a crash test.
 *
 * <p>Not thread-safe; one test thread drives it. A JVM shutdown hook kills a process the test
 * left running, so no child outlives the test JVM when it ends normally.
 */
public final class JvmProcess implements AutoCloseable {

    private static final Path LOGS = Path.of("target", "crash-logs");
    private static final List<String> JVM_OPTIONS = List.of(
            // small and quick to start: the test machine runs several of these beside two clusters
            "-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-XX:+ExitOnOutOfMemoryError");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final String name;
    private final int port;
    private final Process process;
    private final Path log;
    private final Thread reaper;

    private JvmProcess(String name, int port, Process process, Path log) {
        this.name = name;
        this.port = port;
        this.process = process;
        this.log = log;
        this.reaper = new Thread(process::destroyForcibly, "kill-" + name);
        Runtime.getRuntime().addShutdownHook(reaper);
    }

    /**
     * Starts {@code mainClass} listening on {@code port}; does not wait for it to be ready.
     *
     * @param args more {@code --key=value} arguments (not secret)
     * @param env  environment variables over the test JVM's (secrets go here)
     */
    public static JvmProcess start(String name, String mainClass, int port, List<String> args, Map<String, String> env) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(JVM_OPTIONS);
        command.addAll(List.of("-cp", classpath(), mainClass, "--server.port=" + port));
        command.addAll(args);
        try {
            Files.createDirectories(LOGS);
            Path log = LOGS.resolve(name + ".log");
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            builder.environment().putAll(env);
            Files.writeString(log, "---- " + java.time.Instant.now() + " starting " + mainClass + " on port " + port
                    + "\n", StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.CREATE,
                    java.nio.file.StandardOpenOption.APPEND);
            return new JvmProcess(name, port, builder.start(), log);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name, e);
        }
    }

    /**
     * The classpath the test runs with. Failsafe passes it in {@code surefire.test.class.path}
     * (the JVM's own {@code java.class.path} may be a manifest-only booter jar).
     */
    static String classpath() {
        String cp = System.getProperty("surefire.test.class.path");
        return cp != null && !cp.isBlank() ? cp : System.getProperty("java.class.path");
    }

    /** Waits until the service answers its readiness probe; fails at once, with its log, if it died. */
    public JvmProcess awaitReady(Duration max) {
        URI readiness = URI.create("http://127.0.0.1:" + port + "/actuator/health/readiness");
        await(name + " ready").atMost(max).pollInterval(Duration.ofMillis(250)).until(() -> {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + " before it was ready:\n"
                        + tail(8_000));
            }
            return ready(readiness);
        });
        return this;
    }

    private static boolean ready(URI uri) {
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(2)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 && r.body().contains("UP");
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * SIGKILL ({@link Process#destroyForcibly()} on Linux), then proves the process is gone: it
     * exited with 137 (128 + 9) and no process of its id is alive any more.
     */
    public void kill() {
        long pid = process.pid();
        process.destroyForcibly();
        try {
            process.onExit().get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while killing " + name, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException(name + " (pid " + pid + ") survived SIGKILL", e);
        }
        if (process.exitValue() != 137) {
            throw new IllegalStateException(name + " ended with " + process.exitValue() + ", not by SIGKILL (137)");
        }
        if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
            throw new IllegalStateException(name + " (pid " + pid + ") is still alive after SIGKILL");
        }
        appendToLog("---- killed with SIGKILL (exit 137)\n");
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public long pid() {
        return process.pid();
    }

    public int port() {
        return port;
    }

    public String name() {
        return name;
    }

    public Path log() {
        return log;
    }

    /** The last {@code chars} characters of the process's log. */
    public String tail(int chars) {
        try {
            String all = Files.readString(log, StandardCharsets.UTF_8);
            return all.substring(Math.max(0, all.length() - chars));
        } catch (IOException e) {
            return "(log unreadable: " + e.getMessage() + ")";
        }
    }

    private void appendToLog(String line) {
        try {
            Files.writeString(log, line, StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.APPEND);
        } catch (IOException e) {
            // the log is a diagnosis aid only
        }
    }

    /** Kills the process if it still runs (a test's teardown: no graceful stop is needed). */
    @Override
    public void close() {
        if (process.isAlive()) {
            kill();
        }
        try {
            Runtime.getRuntime().removeShutdownHook(reaper);
        } catch (IllegalStateException e) {
            // the JVM is shutting down: the hook runs anyway
        }
    }
}
