package io.helios.core.spill;

import io.helios.core.change.Change;

import javax.crypto.SecretKey;
import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * The changes of one source transaction that did not fit in memory, in a spill file on the
 * worker's disk (sealed with a key held only here, see {@link SealedChunks}). Read them back in
 * source order with {@link #open()}, as often as needed, a chunk at a time; {@link #close()}
 * deletes the file (the capture engine does once the target holds the transaction, or when it
 * closes).
 *
 * <p>Threading: {@link #open()} and {@link #close()} may come from different threads; each
 * cursor belongs to the thread that opened it.
 */
public final class SpilledChanges implements AutoCloseable {

    private final Path path;
    private final SecretKey key;
    private final long count;
    private final long fileBytes;
    private final Spills owner;

    SpilledChanges(Path path, SecretKey key, long count, long fileBytes, Spills owner) {
        this.path = path;
        this.key = key;
        this.count = count;
        this.fileBytes = fileBytes;
        this.owner = owner;
    }

    /** How many changes the file holds. */
    public long count() {
        return count;
    }

    /** The file's size on disk. */
    public long fileBytes() {
        return fileBytes;
    }

    public Path path() {
        return path;
    }

    /** A cursor over the changes in source order; close it when done. */
    public Cursor open() throws IOException {
        return new Cursor();
    }

    /** Deletes the file; idempotent. */
    @Override
    public void close() {
        owner.forget(path);
    }

    @Override
    public String toString() {
        return "SpilledChanges[" + count + " changes, " + fileBytes + " bytes]";
    }

    /** Reads the changes back, one sealed chunk in memory at a time. I/O failures surface as {@link UncheckedIOException}. */
    public final class Cursor implements Iterator<Change>, AutoCloseable {

        private final DataInputStream file;
        private final SealedChunks opener;
        private final ChangeCodec codec = new ChangeCodec();
        private DataInputStream chunk;
        private long chunks;
        private long left = count;

        private Cursor() throws IOException {
            this.opener = new SealedChunks(key);
            this.file = new DataInputStream(new BufferedInputStream(Files.newInputStream(path), 1 << 16));
        }

        @Override
        public boolean hasNext() {
            return left > 0;
        }

        @Override
        public Change next() {
            if (left <= 0) {
                throw new NoSuchElementException();
            }
            try {
                if (chunk == null || chunk.available() == 0) {
                    chunk = nextChunk();
                }
                Change c = codec.read(chunk);
                left--;
                return c;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read spill file " + path + ": " + e.getMessage(), e);
            }
        }

        private DataInputStream nextChunk() throws IOException {
            int length;
            try {
                length = file.readInt();
            } catch (EOFException e) {
                throw new IOException("the file ends " + left + " changes early", e);
            }
            byte[] sealed = new byte[length];
            file.readFully(sealed);
            return new DataInputStream(new ByteArrayInputStream(opener.open(chunks++, sealed)));
        }

        @Override
        public void close() {
            try {
                file.close();
            } catch (IOException ignored) {
                // read-only
            }
        }
    }
}
