package io.helios.core.spill;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * Where a worker process spills large source transactions: a directory of this process's own
 * ({@code p-*}) under the configured root, created owner-only ({@code rwx------}, files
 * {@code rw-------}) and marked as live by a lock held for the life of the process.
 *
 * <p>Opening a root the first time in a process sweeps it: every {@code p-*} directory whose lock
 * nobody holds belongs to a process that is gone (a crash or {@code kill -9} leaves its files
 * behind) and is deleted with its files. Processes sharing a root each keep their own directory.
 *
 * <p>Threading: thread-safe; one instance per root per JVM ({@link #at}).
 */
public final class SpillDirectory {

    private static final Logger log = LoggerFactory.getLogger(SpillDirectory.class);
    private static final Map<Path, SpillDirectory> OPEN = new ConcurrentHashMap<>();
    private static final String PREFIX = "p-";
    private static final String LOCK = "lock";

    private final Path dir;
    /** Held open (and locked) for the life of the process: the mark that {@link #dir} is live. */
    @SuppressWarnings({"unused", "FieldCanBeLocal"})
    private final FileLock lock;

    private SpillDirectory(Path dir, FileLock lock) {
        this.dir = dir;
        this.lock = lock;
    }

    /** The default root: {@code helios-spill} in the system's temporary directory. */
    public static Path defaultRoot() {
        return Path.of(System.getProperty("java.io.tmpdir"), "helios-spill");
    }

    /** This process's spill directory under {@code root}, created (after sweeping stale ones) on first use. */
    public static SpillDirectory at(Path root) {
        Path normalized = root.toAbsolutePath().normalize();
        return OPEN.computeIfAbsent(normalized, SpillDirectory::open);
    }

    /** This process's directory. */
    public Path path() {
        return dir;
    }

    /** A new empty file, readable and writable by the owner only. */
    Path newFile(String prefix) throws IOException {
        return Files.createTempFile(dir, prefix, ".spill", ownerOnly(false));
    }

    private static SpillDirectory open(Path root) {
        try {
            Files.createDirectories(root, ownerOnly(true));
            sweep(root);
            Path dir = Files.createTempDirectory(root, PREFIX, ownerOnly(true));
            FileChannel channel = FileChannel.open(dir.resolve(LOCK), StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE);
            log.info("spill directory of this worker: {}", dir);
            return new SpillDirectory(dir, channel.lock());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the spill directory under " + root
                    + " (helios.apply.spill-directory): " + e.getMessage(), e);
        }
    }

    /** Deletes the directories of processes that are gone; those of live processes keep their locks. */
    private static void sweep(Path root) throws IOException {
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(root, PREFIX + "*")) {
            for (Path d : dirs) {
                if (Files.isDirectory(d) && abandoned(d)) {
                    deleteTree(d);
                    log.info("deleted spill files left by a stopped worker: {}", d);
                }
            }
        }
    }

    private static boolean abandoned(Path d) {
        Path lockFile = d.resolve(LOCK);
        if (!Files.exists(lockFile)) {
            return true;
        }
        try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.WRITE)) {
            FileLock l = channel.tryLock();
            if (l == null) {
                return false;
            }
            l.release();
            return true;
        } catch (OverlappingFileLockException e) {
            return false; // this JVM holds it
        } catch (IOException e) {
            log.warn("cannot tell whether spill directory {} is in use; left alone: {}", d, e.getMessage());
            return false;
        }
    }

    private static void deleteTree(Path d) throws IOException {
        try (Stream<Path> paths = Files.walk(d)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    private static FileAttribute<?>[] ownerOnly(boolean directory) {
        if (!FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            return new FileAttribute<?>[0];
        }
        return new FileAttribute<?>[] {
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(directory ? "rwx------" : "rw-------"))};
    }
}
