package io.helios.core.spill;

import io.helios.core.change.Change;

import javax.crypto.SecretKey;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Writes one source transaction's changes to its spill file, in source order, as sealed chunks of
 * about {@value #CHUNK_BYTES} bytes ({@link SealedChunks}): memory stays at one chunk whatever the
 * transaction's size. {@link #finish()} hands the file over as {@link SpilledChanges};
 * {@link #abort()} deletes it.
 *
 * <p>Not thread-safe: used by the capture reader thread that assembles the transaction.
 */
public final class SpillWriter {

    static final int CHUNK_BYTES = 64 << 10;

    private final Path path;
    private final SecretKey key;
    private final SealedChunks sealer;
    private final DataOutputStream file;
    private final ByteArrayOutputStream chunk = new ByteArrayOutputStream(CHUNK_BYTES + (8 << 10));
    private final DataOutputStream data = new DataOutputStream(chunk);
    private final ChangeCodec codec = new ChangeCodec();
    private final Spills owner;
    private long chunks;
    private long count;
    private boolean closed;

    SpillWriter(Path path, Spills owner) throws IOException {
        this.path = path;
        this.owner = owner;
        this.key = SealedChunks.newKey();
        this.sealer = new SealedChunks(key);
        this.file = new DataOutputStream(new BufferedOutputStream(
                Files.newOutputStream(path, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING), 1 << 16));
    }

    public void add(Change change) throws IOException {
        codec.write(data, change);
        count++;
        if (chunk.size() >= CHUNK_BYTES) {
            seal();
        }
    }

    /** The changes written so far. */
    public long count() {
        return count;
    }

    /** Closes the file and hands it over; the caller deletes it by closing what it gets. */
    public SpilledChanges finish() throws IOException {
        if (chunk.size() > 0) {
            seal();
        }
        file.close();
        closed = true;
        return new SpilledChanges(path, key, count, Files.size(path), owner);
    }

    /** Closes and deletes the file; idempotent. */
    public void abort() {
        if (!closed) {
            closed = true;
            try {
                file.close();
            } catch (IOException ignored) {
                // the file is deleted anyway
            }
        }
        owner.forget(path);
    }

    Path path() {
        return path;
    }

    private void seal() throws IOException {
        byte[] sealed = sealer.seal(chunks++, chunk.toByteArray(), chunk.size());
        file.writeInt(sealed.length);
        file.write(sealed);
        chunk.reset();
    }
}
