package io.helios.core.spill;

import io.helios.core.change.Lsn;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The spill files of one capture engine: opens them in this process's {@link SpillDirectory},
 * knows which transaction each holds, and deletes each as soon as it is no longer needed: once the
 * consumer confirmed the transaction's end LSN (the target holds it), when the transaction is
 * dropped or abandoned, and all of them when the engine closes. Counts what spilled.
 *
 * <p>Threading: thread-safe (the reader thread writes, the consumer thread confirms and closes).
 */
public final class Spills implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Spills.class);

    private final Path root;
    /** Every file not yet deleted, with the end LSN of its transaction once that committed (null while written). */
    private final Map<Path, Lsn> files = new HashMap<>();
    private final AtomicLong transactions = new AtomicLong();
    private final AtomicLong bytes = new AtomicLong();

    /** @param root the configured spill directory ({@code helios.apply.spill-directory}) */
    public Spills(Path root) {
        this.root = root;
    }

    /** A writer on a new owner-only file. */
    public SpillWriter newWriter() throws IOException {
        Path file = SpillDirectory.at(root).newFile("tx-");
        synchronized (this) {
            files.put(file, null);
        }
        return new SpillWriter(file, this);
    }

    /** The transaction ending at {@code endLsn} committed with these changes: kept until confirmed. */
    public synchronized void committed(SpilledChanges changes, Lsn endLsn) {
        if (files.containsKey(changes.path())) {
            files.put(changes.path(), endLsn);
        }
        transactions.incrementAndGet();
        bytes.addAndGet(changes.fileBytes());
    }

    /** Deletes the files of transactions ending at or before {@code confirmed}: the target holds them. */
    public synchronized void releaseUpTo(Lsn confirmed) {
        List<Path> done = new ArrayList<>();
        files.forEach((path, end) -> {
            if (end != null && end.isAtOrBefore(confirmed)) {
                done.add(path);
            }
        });
        done.forEach(this::forget);
    }

    /** Transactions that spilled to disk since the engine started. */
    public long spilledTransactions() {
        return transactions.get();
    }

    /** Bytes written to spill files since the engine started. */
    public long spilledBytes() {
        return bytes.get();
    }

    /** Spill files not yet deleted. */
    public synchronized int filesHeld() {
        return files.size();
    }

    /** Deletes every file left. */
    @Override
    public synchronized void close() {
        new ArrayList<>(files.keySet()).forEach(this::forget);
    }

    synchronized void forget(Path file) {
        files.remove(file);
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            log.warn("cannot delete spill file {}: {}", file, e.getMessage());
        }
    }
}
