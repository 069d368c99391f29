package io.helios.codec;

import java.util.Objects;

/**
 * A batch could not be encoded or decoded. Decoding either returns the whole batch or throws
 * this: never a partial result. The message says what was wrong and where; it never contains
 * key material or row values.
 */
public final class BatchCodecException extends RuntimeException {

    /** Why a batch was refused. */
    public enum Reason {
        /** Fewer bytes than the header declares: the batch was cut short. */
        TRUNCATED,
        /** Bytes that do not form a batch (wrong magic, inconsistent lengths, malformed content). */
        CORRUPT,
        /** Authentication failed: the header or ciphertext was changed, or the key is wrong. */
        TAMPERED,
        /** The key id is not in the keyring, or its key was retired. */
        UNKNOWN_KEY,
        /** A format version this codec does not read. */
        UNKNOWN_VERSION,
        /** The batch is larger than the configured bound. */
        TOO_LARGE,
        /** The batch was compressed with a zstd dictionary this side does not have. */
        UNKNOWN_DICTIONARY
    }

    private final Reason reason;

    public BatchCodecException(Reason reason, String message) {
        super(reason + ": " + message);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    public BatchCodecException(Reason reason, String message, Throwable cause) {
        super(reason + ": " + message, cause);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    public Reason reason() {
        return reason;
    }
}
