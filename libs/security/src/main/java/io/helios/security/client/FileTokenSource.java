package io.helios.security.client;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.Objects;

/**
 * A token kept in a file (a mounted Kubernetes Secret, a file a sidecar renews), read again when the
 * file changes: its modification time, size or identity (a Secret update swaps the {@code ..data}
 * symlink, so the path resolves to a new file). Surrounding white space is dropped. The check is a
 * {@code stat} per {@link #token()}, cheap beside the HTTP call it authorises. Thread-safe.
 */
final class FileTokenSource implements BearerTokenSource {

    private final Path file;
    private String token;
    private Object version;

    FileTokenSource(Path file) {
        this.file = Objects.requireNonNull(file, "file");
    }

    @Override
    public synchronized String token() {
        Object now = version();
        if (token == null || !now.equals(version)) {
            token = read();
            version = now;
        }
        return token;
    }

    @Override
    public synchronized void rejected(String refused) {
        if (refused != null && refused.equals(token)) {
            // read again at the next call, even if the file looks unchanged (a copy with the same time stamp)
            token = null;
        }
    }

    @Override
    public String describe() {
        return "the token file " + file;
    }

    @Override
    public String toString() {
        return "FileTokenSource[" + file + "]";
    }

    private Object version() {
        try {
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
            FileTime modified = a.lastModifiedTime();
            return java.util.Arrays.asList(modified, a.size(), a.fileKey());
        } catch (NoSuchFileException e) {
            throw new CredentialException("the token file " + file + " does not exist", true, e);
        } catch (IOException e) {
            throw new CredentialException("cannot read the token file " + file + ": " + e.getMessage(), true, e);
        }
    }

    private String read() {
        String text;
        try {
            text = Files.readString(file).strip();
        } catch (IOException e) {
            throw new CredentialException("cannot read the token file " + file + ": " + e.getClass().getSimpleName(), true, e);
        }
        if (text.isEmpty()) {
            throw new CredentialException("the token file " + file + " is empty", true, null);
        }
        return text;
    }
}
