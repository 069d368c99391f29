package io.helios.testsupport;

import io.zonky.test.db.postgres.util.LinuxUtils;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code pg_ctl} for one data directory of the embedded binaries: an immediate stop (a crash as
 * the clients see it) and a start with the options the postmaster last ran with (PostgreSQL keeps
 * them in {@code postmaster.opts}, and {@code pg_ctl restart} of a stopped server starts it with
 * them). Runs the binary the way the embedded library does: under {@code unshare -U} where
 * that is available, because PostgreSQL refuses to run as root. Each call blocks until pg_ctl
 * ends, bounded; its output goes to {@code pg_ctl.log} in the data directory.
 */
final class PgCtl {

    private static final int WAIT_SECONDS = 90;

    private final Path binDirectory;
    private final Path dataDirectory;

    PgCtl(Path binDirectory, Path dataDirectory) {
        this.binDirectory = binDirectory;
        this.dataDirectory = dataDirectory;
    }

    /**
     * Finds the binaries of the postmaster that runs {@code dataDirectory}: the first line of its
     * {@code postmaster.pid} is the postmaster's process id, whose executable sits beside pg_ctl.
     */
    static PgCtl of(Path dataDirectory) {
        try {
            long pid = Long.parseLong(Files.readAllLines(dataDirectory.resolve("postmaster.pid")).get(0).trim());
            String postgres = ProcessHandle.of(pid).flatMap(p -> p.info().command())
                    .orElseThrow(() -> new IllegalStateException("cannot see the command of postmaster " + pid));
            return new PgCtl(Path.of(postgres).getParent(), dataDirectory);
        } catch (IOException e) {
            throw new UncheckedIOException("no running postmaster in " + dataDirectory, e);
        }
    }

    void stopImmediate() {
        run("stop", "-m", "immediate");
    }

    /** Starts the stopped server with the options of its last run ({@code postmaster.opts}). */
    void startAgain() {
        run("restart", "-l", dataDirectory.resolve("postgres-restarted.log").toString());
    }

    private void run(String action, String... more) {
        List<String> command = new ArrayList<>();
        if (LinuxUtils.isUnshareAvailable()) {
            command.addAll(List.of("unshare", "-U"));
        }
        command.addAll(List.of(binDirectory.resolve("pg_ctl").toString(), "-D", dataDirectory.toString(), "-w",
                "-t", Integer.toString(WAIT_SECONDS), action));
        command.addAll(List.of(more));
        Path log = dataDirectory.resolve("pg_ctl.log");
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
            if (!p.waitFor(WAIT_SECONDS + 30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("pg_ctl " + action + " did not end: " + tail(log));
            }
            if (p.exitValue() != 0) {
                throw new IllegalStateException("pg_ctl " + action + " failed (" + p.exitValue() + "): " + tail(log));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run pg_ctl " + action, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while pg_ctl " + action + " ran", e);
        }
    }

    private static String tail(Path log) throws IOException {
        String all = Files.readString(log, StandardCharsets.UTF_8);
        return all.substring(Math.max(0, all.length() - 2_000));
    }
}
